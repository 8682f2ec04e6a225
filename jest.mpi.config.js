/** @type {import('jest').Config} */
// The data-parallel tests: they start real MPI jobs (mpirun), so they run
// apart from `npm test` (which needs nothing installed): `npm run test:mpi`,
// in CI after Open MPI is installed.
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/mpi'],
  testMatch: ['**/*.mpi.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
  testTimeout: 600000,
};
