// Which native backend runs the math, and how many threads it uses.
import { integerIn } from './errors';
import { addonOrigin, AddonOrigin, native, NativeBackendInfo } from './native';

export interface BackendInfo extends NativeBackendInfo {
  /** e.g. 'linux-x64 (glibc 2.36)', 'linux-arm64 (musl)', 'darwin-arm64' */
  platform: string;
  /** whether the prebuilt binary shipped in the package loaded, or a source build */
  addon: AddonOrigin['kind'];
  addonFile: string;
}

function platform(): string {
  const name = `${process.platform}-${process.arch}`;
  if (process.platform !== 'linux') return name;
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  const glibc = report?.header?.glibcVersionRuntime;
  return `${name} (${glibc ? `glibc ${glibc}` : 'musl'})`;
}

/**
 * gemm: 'openblas' (found at run time) or 'builtin' (DEEPNET_GEMM=builtin, or
 * no OpenBLAS on the machine): the backend of the large products (on AVX2
 * CPUs thin and small products always use the built-in kernel, see README);
 * simd: 'avx512', 'avx2+fma', 'neon' (arm64) or 'portable', with simdReason
 * and simdBest; threads; the addon's
 * version; the platform, and whether a prebuild or a source build loaded.
 */
export function backendInfo(): BackendInfo {
  return { ...native.backendInfo(), platform: platform(), addon: addonOrigin.kind, addonFile: addonOrigin.file };
}

/** Threads for gemm and the elementwise kernels (also sets OpenBLAS's). */
export function setNumThreads(n: number): void {
  native.setNumThreads(integerIn('setNumThreads', 'n', n, 1, 256));
}
