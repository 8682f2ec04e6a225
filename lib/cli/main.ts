// The deepnet command line: npx deepnet <command> [options].
import { backendInfo } from '../backend';
import type { GemmDispatchInfo } from '../gemmDispatch';
import { demo, DEMO_HELP } from './demo';
import { gradcheck, GRADCHECK_HELP } from './gradcheck';
import { evaluate, EVALUATE_HELP, predict, PREDICT_HELP } from './predict';
import { train, TRAIN_HELP } from './train';
import { closestName, parse, UsageError } from './usage';

const HELP = `Usage: deepnet <command> [options]

Deep fully-connected networks from the deeplearning.ai notes, at native speed.

Commands:
  demo        run the notes' experiments on generated data and write an HTML report
  train       train a model on a data file or a generated dataset
  predict     predictions of a saved model
  evaluate    cost and accuracy of a saved model
  gradcheck   check backpropagation with central differences
  info        the platform and native backend: prebuild or source build, gemm, SIMD, threads

Run deepnet <command> --help for its options. Exit codes: 0 ok, 1 runtime failure, 2 bad usage.`;

const INFO_HELP = `Usage: deepnet info [--json]

Prints the platform, whether the prebuilt binary or a source build of the
native addon loaded, which gemm (OpenBLAS or built-in), SIMD level and thread
count it uses, how the optimizers compute subnormal moments, and its version.`;

/** The dispatch's classes off the built-in kernel's default, one line each ('' when none). */
function dispatchClasses(d: GemmDispatchInfo, openblas: boolean): string {
  const list = (names: string[]) => (names.length ? names.join(', ') : 'none');
  const lines: string[] = [];
  for (const dtype of ['float64', 'float32'] as const) {
    const [one, more] = d.openblas[dtype];
    if (openblas && (one.length || more.length)) lines.push(`  OpenBLAS ${dtype}: ${list(one)} (1 thread), ${list(more)} (more)`);
    if (d.builtinAvx2[dtype].length) lines.push(`  built-in at AVX2 ${dtype}: ${list(d.builtinAvx2[dtype])}`);
  }
  return lines.map((l) => `${l}\n`).join('');
}

function info(argv: string[]): number {
  const a = parse('info', argv, {});
  if (a.help) {
    process.stdout.write(`${INFO_HELP}\n`);
    return 0;
  }
  const b = backendInfo();
  if (a.json) process.stdout.write(`${JSON.stringify(b)}\n`);
  else {
    process.stdout.write(`deepnet ${b.version} (Node-API ${b.napiVersion})\n` +
      `platform ${b.platform}\naddon    ${b.addon} (${b.addonFile})\n` +
      `gemm     ${b.gemm}${b.openblasConfig ? ` (${b.openblasConfig}, ${b.openblasLibrary})` : ''}\n` +
      `cpu      ${[b.cpuVendor, b.cpuModel].filter(Boolean).join(' ') || 'unknown'}\n` +
      `simd     ${b.simd} (${b.simdReason})\nthreads  ${b.threads}\n` +
      `subnormal ${b.subnormal}\n` +
      `dispatch ${b.gemmDispatch.family}: ${b.gemmDispatch.source}\n${dispatchClasses(b.gemmDispatch, b.gemm === 'openblas')}`);
  }
  return 0;
}

const COMMANDS: Record<string, { run: (argv: string[]) => number | Promise<number>; help: string }> = {
  demo: { run: demo, help: DEMO_HELP },
  train: { run: train, help: TRAIN_HELP },
  predict: { run: predict, help: PREDICT_HELP },
  evaluate: { run: evaluate, help: EVALUATE_HELP },
  gradcheck: { run: gradcheck, help: GRADCHECK_HELP },
  info: { run: info, help: INFO_HELP },
};

/** Runs the CLI; resolves to the exit code. Errors print one line (a stack trace with --verbose). */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const verbose = argv.includes('--verbose');
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      process.stdout.write(`${HELP}\n`);
      return command === undefined ? 2 : 0;
    }
    // Own keys only: 'constructor' or '__proto__' is an unknown command, not Object.prototype's.
    const entry = Object.prototype.hasOwnProperty.call(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (!entry) {
      const closest = closestName(command, Object.keys(COMMANDS));
      throw new UsageError(`deepnet: unknown command '${command}'${closest ? `; did you mean ${closest}?` : ''} ` +
        `(commands: ${Object.keys(COMMANDS).join(', ')})`);
    }
    return await entry.run(rest);
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    // Messages of the CLI's own name their command already; the library's get the program's name.
    process.stderr.write(`${verbose && e.stack ? e.stack : `${/^deepnet\b/.test(e.message) ? '' : 'deepnet: '}${e.message}`}\n`);
    return e instanceof UsageError ? 2 : 1;
  }
}
