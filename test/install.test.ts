// scripts/install.js's decision: which platforms a shipped prebuild serves,
// and what it tells the others (musl, other architectures and systems)
// before building from source. (.ci/package-test and .ci/prebuild-test run
// the script itself in real installs.)
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { detectLibc, plan, shippedPrebuilds } = require('../scripts/install.js');

const shipped = ['linux-arm64', 'linux-x64'];

describe('install: prebuild or source build', () => {
  test.each([
    ['linux', 'x64', 'glibc 2.28'],
    ['linux', 'arm64', 'glibc 2.35'],
  ])('%s-%s with %s takes the prebuild, silently', (platform, arch, libc) => {
    expect(plan({ platform, arch, libc, shipped })).toEqual({ fits: true, label: `${platform}-${arch} (${libc})`, notice: null });
  });

  test('musl (Alpine) builds from source and is told the apk packages', () => {
    const p = plan({ platform: 'linux', arch: 'x64', libc: 'musl', shipped });
    expect(p.fits).toBe(false);
    expect(p.notice).toBe('deepnet: no prebuilt binary for linux-x64 (musl): deepnet ships prebuilds for ' +
      'linux-arm64, linux-x64 (glibc 2.28 and later). Building from source, which needs a C++17 compiler, make ' +
      'and python3: apk add build-base python3 openblas-dev (Alpine).\n');
  });

  test('another architecture or system names itself and what to install', () => {
    const riscv = plan({ platform: 'linux', arch: 'riscv64', libc: 'glibc 2.39', shipped });
    expect(riscv.fits).toBe(false);
    expect(riscv.notice).toContain('no prebuilt binary for linux-riscv64 (glibc 2.39)');
    expect(riscv.notice).toContain('apt-get install g++ make python3 libopenblas-dev (Debian/Ubuntu)');
    const mac = plan({ platform: 'darwin', arch: 'arm64', libc: null, shipped });
    expect([mac.fits, mac.label]).toEqual([false, 'darwin-arm64']);
    expect(mac.notice).toContain('xcode-select --install');
  });

  test('a copy without prebuilds says so', () => {
    expect(plan({ platform: 'linux', arch: 'x64', libc: 'glibc 2.36', shipped: [] }).notice)
      .toContain('no prebuilt binary for linux-x64 (glibc 2.36): this copy of deepnet has no prebuilds.');
  });

  test('this machine\'s libc; a directory without prebuilds/ ships none', () => {
    const glibc = (process.report.getReport() as { header: { glibcVersionRuntime?: string } }).header.glibcVersionRuntime;
    expect(detectLibc()).toBe(process.platform !== 'linux' ? null : glibc ? `glibc ${glibc}` : 'musl');
    expect(shippedPrebuilds('/nonexistent')).toEqual([]);
  });
});
