// Mid-call attacks on the raw addon (issue 15, finding 2): every exported
// function and class method, called with arguments whose getters, toString,
// valueOf, callbacks or Proxy traps shrink resizable buffers to zero bytes and
// detach the others while the call runs. Run in a child process (with gc
// exposed, so detached memory is freed at once) so that a stray access shows
// as a signal here rather than killing jest. Under .ci/sanitize the child
// inherits the sanitized addon. Longer runs: node --expose-gc test/fuzz/hostile_run.js.
import { spawnSync } from 'child_process';
import * as path from 'path';

const ROUNDS = 40;
const SEEDS = [21, 22];

interface Tally {
  controlOk: number; controlError: number; ok: number; error: number; struck: number; kinds: string[]; messages: string[];
}

test.each(SEEDS)(`${ROUNDS} rounds of attacks on every export (seed %i): no crash, only Errors`, (seed) => {
  const runner = path.join(__dirname, 'fuzz', 'hostile_run.js');
  const child = spawnSync(process.execPath, ['--expose-gc', runner, '--rounds', String(ROUNDS), '--seed', String(seed)],
    { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  // A memory error is a signal (SIGSEGV: an unmapped page of a shrunk buffer) or ASan's exit code.
  expect({ signal: child.signal, status: child.status, stderr: child.stderr.slice(0, 2000) })
    .toEqual({ signal: null, status: 0, stderr: '' });
  const report = JSON.parse(child.stdout) as { exported: string[]; tally: Record<string, Tally> };
  // Every function, constructor and method the addon exports has a builder and was attacked.
  expect(Object.keys(report.tally).sort()).toEqual(report.exported);
  expect(report.exported.length).toBeGreaterThan(40);
  for (const [name, t] of Object.entries(report.tally)) {
    // The valid calls succeed, so the attacks reach the point where memory is used.
    expect(`${name}: ${t.controlOk} of ${ROUNDS} control calls ok`).toBe(`${name}: ${ROUNDS} of ${ROUNDS} control calls ok`);
    expect(t.ok + t.error).toBe(ROUNDS);
    // A getter, Proxy or callback in the arguments does run (the addon reads those values), and the
    // call still only returned or threw: the strike really happened mid-call.
    if (t.kinds.some((k) => k === 'getter' || k === 'callback')) expect(`${name} struck ${t.struck > 0}`).toBe(`${name} struck true`);
  }
  // Numbers and strings are never coerced: a toString/valueOf attack is refused by type.
  expect(report.tally.computeCost.messages.join('\n')).toMatch(/deepnet: form must be a string/);
  expect(report.tally.linearForward.messages.join('\n')).toMatch(/deepnet: [nkm] must be a number/);
  // A shrunk or detached buffer is refused by its length, not used.
  expect(Object.values(report.tally).flatMap((t) => t.messages).join('\n')).toMatch(/has 0 elements, expected \d+/);
});
