// Optimizer steps on subnormal moments, through the addon as it ships: a
// dead unit's momentum decays into the subnormal numbers, where the kernels
// can compute by other means than the hardware's slow path
// (native/kernels/optimizers_simd.h, subnormal_simd.h), or leave them to the
// hardware where that measured faster; each path is run here, and the
// measured one. Their bits must be
// the course's formula's, operation by operation in IEEE arithmetic: here
// JavaScript's doubles, and for float32 each operation rounded by
// Math.fround (exact for +, -, *, / and sqrt of floats). beta1 = 0.5 and
// beta2 = 0.75 keep 1 - beta^t the same whichever pow computes it.
import { DType, Matrix, NetworkParameters, updateParametersWithAdam, updateParametersWithMomentum, zeros } from '../lib';
import { native } from '../lib/native';
import { OptimizerState } from '../lib/optimizers';
import { spawnSync } from 'child_process';
import * as path from 'path';

const ROWS = 24;
const COLS = 40;  // W1 24 x 40: rows 0-9 dead (G = 0), their v tiny; the rest normal

// A deterministic value in [0, 1) for (seed, i).
function unit(seed: number, i: number): number {
  const x = Math.sin(seed * 1000.37 + i * 12.9898) * 43758.5453;
  return x - Math.floor(x);
}

// Subnormals of every size, values either side of the least normal and of the
// kernels' thresholds (2^-100 for floats, 2^-900 for doubles), zeros.
function tiny(dtype: DType, i: number): number {
  const least = dtype === 'float64' ? 2 ** -1074 : 2 ** -149;
  const normal = dtype === 'float64' ? 2 ** -1022 : 2 ** -126;
  const bound = dtype === 'float64' ? 2 ** -900 : 2 ** -100;
  const sign = i % 2 ? -1 : 1;
  const k = [1, 3, 4, 5, 77, 2 ** 20 + 1, 0][i % 7];
  const choices = [k * least, normal * 0.75, normal, normal * 1.5, bound * 0.99, bound * 1.01, 0];
  return sign * choices[Math.floor(i / 7) % 7];
}

function setup(dtype: DType) {
  const f = dtype === 'float32' ? Math.fround : (x: number) => x;
  const mat = (rows: number, cols: number, at: (i: number) => number): Matrix => {
    const m = zeros(rows, cols, dtype);
    for (let i = 0; i < rows * cols; i++) m.data[i] = f(at(i));
    return m;
  };
  const dead = (i: number) => Math.floor(i / COLS) < 10;
  const parameters: NetworkParameters = {
    W1: mat(ROWS, COLS, (i) => unit(1, i) - 0.5), b1: mat(ROWS, 1, (i) => unit(2, i) - 0.5),
    W2: mat(1, ROWS, (i) => unit(3, i) - 0.5), b2: mat(1, 1, () => 0.25),
  };
  const grads = {
    dW1: mat(ROWS, COLS, (i) => (dead(i) ? 0 : unit(4, i) - 0.5)), db1: mat(ROWS, 1, (i) => (i < 10 ? 0 : unit(5, i) - 0.5)),
    dW2: mat(1, ROWS, (i) => unit(6, i) - 0.5), db2: mat(1, 1, () => 0.125),
  };
  const v: OptimizerState = {
    dW1: mat(ROWS, COLS, (i) => (dead(i) ? tiny(dtype, i) : unit(7, i) - 0.5)), db1: mat(ROWS, 1, (i) => (i < 10 ? tiny(dtype, i) : 0.1)),
    dW2: mat(1, ROWS, (i) => unit(8, i) - 0.5), db2: mat(1, 1, () => 0.5),
  };
  const s: OptimizerState = {
    dW1: mat(ROWS, COLS, (i) => unit(9, i) * 0.01), db1: mat(ROWS, 1, (i) => unit(10, i) * 0.01),
    dW2: mat(1, ROWS, (i) => unit(11, i) * 0.01), db2: mat(1, 1, () => 0.01),
  };
  return { f, parameters, grads, v, s };
}

const KEYS = [['W1', 'dW1'], ['b1', 'db1'], ['W2', 'dW2'], ['b2', 'db2']] as const;

function expectSameBits(got: Matrix, want: number[], what: string) {
  const g = Array.from(got.data);
  const bad = g.findIndex((x, i) => !Object.is(x, want[i]));
  expect(bad === -1 ? 'same bits' : `${what}[${bad}]: ${g[bad]} vs ${want[bad]}`).toBe('same bits');
}

const PATHS = ['checked', 'hardware', 'measured'] as const;
describe.each(PATHS.flatMap((p) => (['float64', 'float32'] as DType[]).map((d) => [p, d] as const)))('subnormal moments, the %s path, %s', (subnormalPath, dtype) => {
  beforeAll(() => native.setSubnormalPath(subnormalPath));
  afterAll(() => native.setSubnormalPath('measured'));

  test('the setup holds subnormal moments where the gradient is 0', () => {
    const { v } = setup(dtype);
    const normal = dtype === 'float64' ? 2 ** -1022 : 2 ** -126;
    const sub = Array.from(v.dW1.data).filter((x) => x !== 0 && Math.abs(x) < normal);
    expect(sub.length).toBeGreaterThan(50);
  });

  test.each([1, 3, 60])('updateParametersWithAdam at t = %i gives the formula\'s bits', (t) => {
    const { f, parameters, grads, v, s } = setup(dtype);
    const lr = 0.01, beta1 = 0.5, beta2 = 0.75, eps = 1e-8;
    const [P, V, S, VH, SH] = updateParametersWithAdam(parameters, grads, v, s, t, lr, beta1, beta2, eps);
    const c = { lr: f(lr), b1: f(beta1), omb1: f(1 - beta1), b2: f(beta2), omb2: f(1 - beta2), eps: f(eps),
      bias1: f(1 - beta1 ** t), bias2: f(1 - beta2 ** t) };
    for (const [p, g] of KEYS) {
      const want = { p: [] as number[], v: [] as number[], s: [] as number[], vh: [] as number[], sh: [] as number[] };
      for (let i = 0; i < parameters[p].data.length; i++) {
        const gi = grads[g].data[i];
        const vi = f(f(c.b1 * v[g].data[i]) + f(c.omb1 * gi));
        const si = f(f(c.b2 * s[g].data[i]) + f(c.omb2 * f(gi * gi)));
        const vh = f(vi / c.bias1), sh = f(si / c.bias2);
        want.v.push(vi), want.s.push(si), want.vh.push(vh), want.sh.push(sh);
        want.p.push(f(parameters[p].data[i] - f(f(c.lr * vh) / f(f(Math.sqrt(sh)) + c.eps))));
      }
      expectSameBits(P[p], want.p, p);
      expectSameBits(V[g], want.v, `v.${g}`);
      expectSameBits(S[g], want.s, `s.${g}`);
      expectSameBits(VH[g], want.vh, `vCorrected.${g}`);
      expectSameBits(SH[g], want.sh, `sCorrected.${g}`);
    }
  });

  test('updateParametersWithMomentum gives the formula\'s bits', () => {
    const { f, parameters, grads, v } = setup(dtype);
    const beta = 0.5, lr = 0.75;
    const [P, V] = updateParametersWithMomentum(parameters, grads, v, beta, lr);
    for (const [p, g] of KEYS) {
      const wantV: number[] = [], wantP: number[] = [];
      for (let i = 0; i < parameters[p].data.length; i++) {
        const vi = f(f(f(beta) * v[g].data[i]) + f(f(1 - beta) * grads[g].data[i]));
        wantV.push(vi);
        wantP.push(f(parameters[p].data[i] - f(f(lr) * vi)));
      }
      expectSameBits(P[p], wantP, p);
      expectSameBits(V[g], wantV, `v.${g}`);
    }
  });
});

// The path each optimizer kernel takes for such moments is measured per
// process (the subnormal-safe one where the hardware takes assists, Intel's
// cores; the hardware's where it takes none, AMD's Zen 3), or forced with
// DEEPNET_SUBNORMAL: the bits are the same on either, and backendInfo says
// which was chosen and why.
describe('DEEPNET_SUBNORMAL, in child processes', () => {
  const root = path.join(__dirname, '..');
  const snippet = `
    const d = require('./dist');
    const out = {};
    for (const dtype of ['float32', 'float64']) {
      const least = dtype === 'float32' ? 2 ** -149 : 2 ** -1074;
      const mat = (cols, at) => { const m = d.zeros(16, cols, dtype); for (let i = 0; i < 16 * cols; i++) m.data[i] = at(i); return m; };
      const P = { W1: mat(64, (i) => (i % 97) / 97 - 0.5), b1: mat(1, () => 0.25) };
      const G = { dW1: mat(64, () => 0), db1: mat(1, () => 0) };
      const v = () => ({ dW1: mat(64, (i) => (1 + (i % 7)) * least * (i % 2 ? -1 : 1)), db1: mat(1, () => 3 * least) });
      const s = () => ({ dW1: mat(64, () => 1e-12), db1: mat(1, () => 1e-12) });
      const adam = d.updateParametersWithAdam(P, G, v(), s(), 3, 0.01, 0.9, 0.999, 1e-8);
      const momentum = d.updateParametersWithMomentum(P, G, v(), 0.5, 0.01);
      const bits = (m) => Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength).toString('base64');
      out[dtype] = [adam[0].W1, adam[1].dW1, adam[2].dW1, momentum[0].W1, momentum[1].dW1, momentum[1].db1].map(bits);
      // 7 least subnormals times beta: 6.3 rounds to 6, 3.5 to the even 4.
      out[dtype + ' v[6]'] = [adam[1].dW1.data[6] / least, momentum[1].dW1.data[6] / least];
    }
    const { subnormal, subnormalChoices, simd } = d.backendInfo();
    console.log(JSON.stringify({ out, subnormal, subnormalChoices, simd }));`;
  type Child = { out: Record<string, (string | number)[]>; subnormal: string; subnormalChoices: string[]; simd: string; stderr: string };
  const run = (value?: string): Child => {
    const env = { ...process.env };
    delete env.DEEPNET_SUBNORMAL;
    if (value !== undefined) env.DEEPNET_SUBNORMAL = value;
    const r = spawnSync(process.execPath, ['-e', snippet], { cwd: root, env, encoding: 'utf8' });
    expect(r.status).toBe(0);
    return { ...JSON.parse(r.stdout), stderr: r.stderr };
  };

  test('checked, hardware and measured give the same bits; backendInfo names the path and each measured choice', () => {
    const checked = run('checked'), hardware = run('hardware'), measured = run();
    expect(hardware.out).toEqual(checked.out);
    expect(measured.out).toEqual(checked.out);
    for (const dtype of ['float32', 'float64']) expect(checked.out[`${dtype} v[6]`]).toEqual([6, 4]);
    expect([checked.subnormal, checked.subnormalChoices]).toEqual(['DEEPNET_SUBNORMAL=checked', []]);
    expect([hardware.subnormal, hardware.subnormalChoices]).toEqual(['DEEPNET_SUBNORMAL=hardware', []]);
    expect(measured.subnormal).toMatch(/^measured: /);
    const vector = measured.simd === 'avx2+fma' || measured.simd === 'avx512';
    const level = measured.simd === 'avx512' ? '(avx2|avx512)' : 'avx2';
    const choice = new RegExp(`^float(32|64) (adam|momentum) \\(${level}\\): ` +
      '(the safe path, the hardware\'s|the hardware\'s, the safe path) \\d+\\.\\d\\dx its time$');
    expect(measured.subnormalChoices.filter((c) => choice.test(c))).toHaveLength(vector ? 4 : 0);
    expect(measured.subnormalChoices).toHaveLength(vector ? 4 : 0);
  });

  test('setSubnormalPath names what it takes', () => {
    expect(() => native.setSubnormalPath('fast' as 'checked')).toThrow("path must be 'measured', 'checked' or 'hardware'; received 'fast'");
  });

  test('a value that is not a path warns and measures', () => {
    const bogus = run('fast');
    expect(bogus.subnormal).toBe('DEEPNET_SUBNORMAL=fast is not a path (checked, hardware): measured');
    expect(bogus.stderr).toContain('deepnet: DEEPNET_SUBNORMAL=fast is not a path');
  });
});
