// numpy's legacy RandomState, bit for bit (../shared/golden/rng.json).
import { RandomState } from '../lib';
import { expectBitExact, loadGolden } from './helpers/golden';

const golden = loadGolden('rng');
const seeds = Object.keys(golden.seeds);

describe.each(seeds)('RandomState(%s)', (seedText) => {
  const seed = Number(seedText);
  const g = golden.seeds[seedText];

  test('state words after seed() are init_genrand', () => {
    const state = new RandomState(seed).getState();
    expect(Array.from(state.key.slice(0, 5))).toEqual(g.mt_key_after_seed_first5);
    expect(state.key[623]).toBe(g.mt_key_after_seed_last);
    expect(state.pos).toBe(624);
    expect(state.hasGauss).toBe(false);
  });

  test('first 32-bit outputs', () => {
    expect(Array.from(new RandomState(seed).uint32(10))).toEqual(g.uint32_first10);
  });

  test('randn, rand and 2-D randn right after seed()', () => {
    expectBitExact(new RandomState(seed).randn(20), g.randn_20, 'randn(20)');
    expectBitExact(new RandomState(seed).rand(20), g.rand_20, 'rand(20)');
    expectBitExact(new RandomState(seed).randn(3, 4), g.randn_3x4, 'randn(3,4)');
  });

  test('polar rejections consume words: 4 per pair tried', () => {
    const rs = new RandomState(seed);
    rs.randn(20);
    expect(rs.getState().pos).toBe(4 * (10 + g.randn_20_polar_rejections));
  });

  test('seed() on an existing generator restarts the stream', () => {
    const rs = new RandomState(seed + 1);
    rs.randn(7);
    rs.seed(seed);
    expectBitExact(rs.randn(20), g.randn_20, 'randn(20) after re-seed');
  });

  test('randn(5,4) then rand(3,2) on one stream', () => {
    const rs = new RandomState(seed);
    expectBitExact(rs.randn(5, 4), g.seq_randn_5x4_then_rand_3x2.randn_5x4, 'randn(5,4)');
    expectBitExact(rs.rand(3, 2), g.seq_randn_5x4_then_rand_3x2.rand_3x2, 'rand(3,2)');
  });

  test('the cached normal survives rand() and is dropped by seed()', () => {
    const seq = g.seq_cached_gauss;
    const rs = new RandomState(seed);
    seq.calls.forEach(([name, args]: [string, number[]], i: number) => {
      if (name === 'seed') {
        rs.seed(args[0]);
        expect(seq.outputs[i]).toBeNull();
      } else {
        const draw = name === 'randn' ? rs.randn(args[0], args[1]) : rs.rand(args[0], args[1]);
        expectBitExact(draw, seq.outputs[i], `${name}(${args}) #${i}`);
      }
      const state = rs.getState();
      expect(state.hasGauss).toBe(seq.has_gauss_after[i]);
      expect(Object.is(state.gauss, seq.cached_gauss_after[i])).toBe(true);
    });
  });
});

describe('RandomState state', () => {
  test('setState(getState()) replays the same draws, including a cached normal', () => {
    const rs = new RandomState(42);
    rs.randn(3);  // leaves a cached normal
    const saved = rs.getState();
    const a = rs.randn(5, 3).data.slice();
    rs.setState(saved);
    expect(Array.from(rs.randn(5, 3).data)).toEqual(Array.from(a));
  });

  test('seeds above 2^31 and the largest seed work', () => {
    const rs = new RandomState(2 ** 32 - 1);
    const v = rs.rand(3).data;
    expect(v.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new RandomState(2 ** 31 + 5).uint32(2)).not.toEqual(new RandomState(5).uint32(2));
  });

  test('an unseeded RandomState draws different streams', () => {
    expect(Array.from(new RandomState().uint32(4))).not.toEqual(Array.from(new RandomState().uint32(4)));
  });
});
