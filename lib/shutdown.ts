// Fits in flight stop when the process exits. process.exit() waits for
// libuv's worker threads before it ends the process, so an `await
// model.fit()` running on one would keep the exit waiting for its last
// epoch; the 'exit' event comes first, and sets each running fit's cancel
// flag: the native loop stops at its next step. (A worker thread being torn
// down cancels its fits natively: see the heartbeat in model_fit_wrap.cc.)
const running = new Set<() => void>();
let listening = false;

function cancelAll(): void {
  for (const cancel of running) cancel();
}

/** Calls `cancel` if the process exits before the returned function is called. */
export function cancelOnExit(cancel: () => void): () => void {
  if (!listening) {
    process.on('exit', cancelAll);
    listening = true;
  }
  running.add(cancel);
  return () => running.delete(cancel);
}
