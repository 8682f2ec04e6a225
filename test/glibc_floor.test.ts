// scripts/glibc-floor.js: the check CI runs on every prebuild (RHEL 8's
// glibc 2.28 and GCC 8 runtime as the floor).
import * as path from 'path';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { FLOOR, compareVersions, evaluate, inspect } = require('../scripts/glibc-floor.js');

const ok = { needed: ['libc.so.6', 'libm.so.6', 'libgcc_s.so.1'], versions: { GLIBC: ['2.2.5', '2.17', '2.3.2'], GCC: ['3.0', '4.2.0'] }, unversioned: ['napi_create_function'] };

describe('glibc floor', () => {
  test('compares dotted versions numerically', () => {
    expect(compareVersions('2.3', '2.28')).toBe(-1);
    expect(compareVersions('2.28', '2.28')).toBe(0);
    expect(compareVersions('2.2.5', '2.3')).toBe(-1);
    expect(compareVersions('3.4.29', '3.4.25')).toBe(1);
    expect(compareVersions('2.28.0', '2.28')).toBe(0);
  });

  test('within the floor: the highest version of each family, no problems', () => {
    expect(evaluate(ok)).toEqual({ highest: { GLIBC: '2.17', GCC: '4.2.0' }, problems: [] });
    expect(FLOOR).toEqual({ GLIBC: '2.28', GLIBCXX: '3.4.25', CXXABI: '1.3.11', GCC: '7.0.0' });
  });

  test('above the floor, a foreign library, or a symbol the old glibc lacked: each named', () => {
    const bad = evaluate({
      needed: [...ok.needed, 'libstdc++.so.6', 'libopenblas.so.0'],
      versions: { ...ok.versions, GLIBC: ['2.17', '2.36', '2.34'], GLIBCXX: ['3.4.29'] },
      unversioned: ['napi_throw', '__libc_single_threaded', 'arc4random'],
    });
    expect(bad.highest).toEqual({ GLIBC: '2.36', GCC: '4.2.0', GLIBCXX: '3.4.29' });
    expect(bad.problems).toEqual([
      'GLIBC_2.36 is above the floor GLIBC_2.28',
      'GLIBCXX_3.4.29 is above the floor GLIBCXX_3.4.25',
      'it needs libopenblas.so.0',
      'undefined symbols without a version: __libc_single_threaded, arc4random',
    ]);
  });

  test('reads a real binary: this machine\'s source build needs at most the glibc it runs on', () => {
    const info = inspect(path.join(__dirname, '..', 'build', 'Release', 'deepnet.node'));
    expect(info.needed).toEqual(expect.arrayContaining(['libc.so.6']));
    const { highest } = evaluate(info);
    const glibc = (process.report.getReport() as { header: { glibcVersionRuntime: string } }).header.glibcVersionRuntime;
    expect(highest.GLIBC).toMatch(/^2\.\d+$/);
    expect(compareVersions(highest.GLIBC, glibc)).toBeLessThanOrEqual(0);
    expect(info.unversioned.every((s: string) => s.startsWith('napi_'))).toBe(true);
  });
});
