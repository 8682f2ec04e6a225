export { loadCatDataset } from './cat';
export type { CatDataset, Split } from './cat';
