// The plotting stack (vega, vega-lite, resvg, the DejaVu fonts) and the HDF5
// reader (jsfive) are optional dependencies: npm installs them by default, so
// the demo and the CLI's reports work out of the box, but the core never loads
// them and `npm install --omit=optional` leaves them out. They are required
// here, on first use, so that a missing one is a clear error at the call that
// needs it rather than a failure to load deepnet.
import * as path from 'path';

/** Why each optional package is needed, for the error when it is missing. */
const PURPOSE = {
  vega: 'plots (deepnet/plot, the HTML reports)',
  'vega-lite': 'plots (deepnet/plot, the HTML reports)',
  'dejavu-fonts-ttf': 'plots (the font figures are laid out with)',
  '@resvg/resvg-js': 'PNG figures (svgToPng; the CLI\'s .png figures)',
  jsfive: 'reading HDF5 files (loadCatDataset)',
} as const;

/** The optional dependencies. */
export type OptionalPackage = keyof typeof PURPOSE;

const loaded = new Map<OptionalPackage, unknown>();

function notInstalled(where: string, name: OptionalPackage): Error {
  return new Error(`${where}: needs the optional dependency ${name} for ${PURPOSE[name]}, which is not installed ` +
    `(npm install --omit=optional leaves it out): run npm install ${name}`);
}

/** Whether err is Node's failure to find `request` itself (not a module it requires). */
function isMissing(err: unknown, request: string): boolean {
  const e = err as NodeJS.ErrnoException;
  return e?.code === 'MODULE_NOT_FOUND' && typeof e.message === 'string' && e.message.includes(`'${request}'`);
}

/** The optional package `name`, loaded once; when it is not installed, an error naming `where` and how to install it. */
export function requireOptional<T>(where: string, name: OptionalPackage): T {
  if (!loaded.has(name)) {
    try {
      loaded.set(name, require(name));
    } catch (err) {
      throw isMissing(err, name) ? notInstalled(where, name) : err;
    }
  }
  return loaded.get(name) as T;
}

/** The directory of the optional package `name` (for its data files), with requireOptional's error when it is missing. */
export function optionalPackageDir(where: string, name: OptionalPackage): string {
  try {
    return path.dirname(require.resolve(`${name}/package.json`));
  } catch (err) {
    throw isMissing(err, `${name}/package.json`) ? notInstalled(where, name) : err;
  }
}
