// Progress of a long fit: a one-line bar with iterations/s, ETA and the
// current cost on a terminal; JSON lines (one per logged iteration) when the
// output is not a terminal or with --json, for CI logs.

export interface ProgressSink {
  update(iteration: number, cost: number): void;
  done(summary: Record<string, unknown>): void;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** The bar's text for `iteration` of `total` after `elapsed` seconds. */
export function progressLine(iteration: number, total: number, elapsed: number, cost: number, width = 24): string {
  const fraction = total > 0 ? Math.min(1, iteration / total) : 1;
  const filled = Math.round(fraction * width);
  const rate = elapsed > 0 ? iteration / elapsed : 0;
  const eta = rate > 0 ? (total - iteration) / rate : Infinity;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ` +
    `${iteration}/${total} it  ${rate >= 100 ? rate.toFixed(0) : rate.toFixed(1)} it/s  ETA ${formatDuration(eta)}  cost ${cost.toFixed(6)}`;
}

export function progressSink(total: number, json: boolean, out: NodeJS.WriteStream = process.stdout,
  err: NodeJS.WriteStream = process.stderr): ProgressSink {
  const start = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - start) / 1e9;
  if (json || !err.isTTY) {
    return {
      update: (iteration, cost) => out.write(`${JSON.stringify({ event: 'progress', iteration, iterations: total, cost,
        itPerSec: Math.round(iteration / Math.max(elapsed(), 1e-9)) })}\n`),
      done: (summary) => out.write(`${JSON.stringify({ event: 'done', seconds: Number(elapsed().toFixed(3)), ...summary })}\n`),
    };
  }
  let last = 0;
  return {
    update: (iteration, cost) => {
      const now = elapsed();
      if (now - last < 0.1 && iteration > 0) return;  // at most ten redraws a second
      last = now;
      err.write(`\r${progressLine(iteration, total, now, cost)}\x1b[K`);
    },
    done: (summary) => {
      err.write(`\r${progressLine(total, total, elapsed(), Number(summary.cost ?? NaN))}\x1b[K\n`);
    },
  };
}
