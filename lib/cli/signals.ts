// Stopping a long command cleanly: the first SIGINT (Ctrl-C) or SIGTERM (a
// CI runner's or supervisor's stop) aborts training at the next step, after
// which the command saves what it has, as it would at the end; a second
// signal exits at once (atomic saves leave the previous file intact).
import * as os from 'os';

/** The signals a command stops on. */
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** An installed handler: the AbortSignal training watches, the signal received, and its removal. */
export interface Interruption {
  signal: AbortSignal;
  /** The first signal received, if any. */
  received(): NodeJS.Signals | undefined;
  /** The shell's exit code for a process stopped by the received signal: 128 + its number (130, 143). */
  exitCode(): number;
  dispose(): void;
}

/** Installs the handlers; `onFirst` runs once, when the first signal arrives (to tell the user). */
export function interruptible(onFirst: (signal: NodeJS.Signals) => void): Interruption {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const code = (s: NodeJS.Signals) => 128 + (os.constants.signals[s] ?? 0);
  const handler = (s: NodeJS.Signals) => {
    if (received !== undefined) process.exit(code(s));
    received = s;
    onFirst(s);
    controller.abort();
  };
  for (const s of SIGNALS) process.on(s, handler);
  return {
    signal: controller.signal,
    received: () => received,
    exitCode: () => (received === undefined ? 0 : code(received)),
    dispose: () => { for (const s of SIGNALS) process.removeListener(s, handler); },
  };
}
