// Progress of a long fit: a one-line bar with iterations (or epochs) per
// second, ETA, the current cost and the validation numbers on a terminal;
// JSON lines (one per logged epoch) when the output is not a terminal or with
// --json, for CI logs.

/** Where a fit's progress goes: a terminal's bar or JSON lines. */
export interface ProgressSink {
  /** Epoch `iteration` (0-based) just finished with this cost. */
  update(iteration: number, cost: number, validationCost?: number, validationAccuracy?: number): void;
  /** Training ended after `iterations` epochs (the total, or fewer when stopped), the last at `cost`: the bar's last state. */
  end(iterations: number, cost: number): void;
  /** The run's summary, once everything is saved: the last JSON line. */
  done(summary: Record<string, unknown>): void;
}

/** 'it' for full-batch iterations, 'ep' for epochs of mini-batches. */
export type ProgressUnit = 'it' | 'ep';

/** A duration as mm:ss, or h:mm:ss from an hour; --:-- when unknown. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** The bar's text for `iteration` of `total` after `elapsed` seconds; `stopped`: the fit ended there (no ETA). */
export function progressLine(iteration: number, total: number, elapsed: number, cost: number, width = 24, unit: ProgressUnit = 'it',
  validationCost?: number, validationAccuracy?: number, stopped = false): string {
  const fraction = total > 0 ? Math.min(1, iteration / total) : 1;
  const filled = Math.round(fraction * width);
  const rate = elapsed > 0 ? iteration / elapsed : 0;
  const eta = rate > 0 ? (total - iteration) / rate : Infinity;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ` +
    `${iteration}/${total} ${unit}  ${rate >= 100 ? rate.toFixed(0) : rate.toFixed(1)} ${unit}/s  ${stopped ? 'stopped' : `ETA ${formatDuration(eta)}`}  cost ${cost.toFixed(6)}` +
    (validationCost === undefined ? '' : `  val ${validationCost.toFixed(6)}`) +
    (validationAccuracy === undefined ? '' : ` (${(100 * validationAccuracy).toFixed(1)}%)`);
}

/** The sink for a fit of `total` epochs: JSON lines on `out` with --json or off a terminal, else a bar on `err`. */
export function progressSink(total: number, json: boolean, unit: ProgressUnit = 'it', out: NodeJS.WriteStream = process.stdout,
  err: NodeJS.WriteStream = process.stderr): ProgressSink {
  const start = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - start) / 1e9;
  if (json || !err.isTTY) {
    return {
      update: (iteration, cost, validationCost, validationAccuracy) => out.write(`${JSON.stringify({ event: 'progress', iteration,
        iterations: total, cost, ...(validationCost === undefined ? {} : { validationCost }),
        ...(validationAccuracy === undefined ? {} : { validationAccuracy }),
        itPerSec: Math.round(iteration / Math.max(elapsed(), 1e-9)) })}\n`),
      end: () => undefined,
      done: (summary) => out.write(`${JSON.stringify({ event: 'done', seconds: Number(elapsed().toFixed(3)), ...summary })}\n`),
    };
  }
  let last = 0;
  return {
    update: (iteration, cost, validationCost, validationAccuracy) => {
      const now = elapsed();
      if (now - last < 0.1 && iteration > 0) return;  // at most ten redraws a second
      last = now;
      err.write(`\r${progressLine(iteration, total, now, cost, 24, unit, validationCost, validationAccuracy)}\x1b[K`);
    },
    // Where it stopped: the full bar after a whole fit, a partial one after an interrupt or early stopping.
    end: (iterations, cost) => {
      err.write(`\r${progressLine(iterations, total, elapsed(), cost, 24, unit, undefined, undefined, iterations < total)}\x1b[K\n`);
    },
    done: () => undefined,
  };
}
