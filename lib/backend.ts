// Which native backend runs the math, and how many threads it uses.
import { integerIn } from './errors';
import { GemmDispatchInfo, gemmDispatchInfo } from './gemmDispatch';
import { addonOrigin, AddonOrigin, native, NativeBackendInfo } from './native';

/** What backendInfo() reports: the gemm backend, the SIMD level, threads, versions, the platform and the addon that loaded. */
export interface BackendInfo extends NativeBackendInfo {
  /** e.g. 'linux-x64 (glibc 2.36)', 'linux-arm64 (musl)', 'darwin-arm64' */
  platform: string;
  /** whether the prebuilt binary shipped in the package loaded, or a source build */
  addon: AddonOrigin['kind'];
  /** The addon file that loaded. */
  addonFile: string;
  /** Which products go to OpenBLAS and which the built-in kernel computes at AVX2, and why (measured for this CPU family, or the default rules). */
  gemmDispatch: GemmDispatchInfo;
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
  return { ...native.backendInfo(), platform: platform(), addon: addonOrigin.kind, addonFile: addonOrigin.file,
    gemmDispatch: gemmDispatchInfo(native) };
}

/** Threads for gemm and the elementwise kernels (and OpenBLAS's, from its next product). */
export function setNumThreads(n: number): void {
  native.setNumThreads(integerIn('setNumThreads', 'n', n, 1, 256));
}

/**
 * This process's place in an MPI job (run under mpirun, mpiexec or srun):
 * { rank, size }, joining the job (starting MPI) on first use. Throws, saying
 * what is missing, when MPI cannot be found or started. For distributed
 * training (fit's `distributed` option): e.g. save the model on rank 0 only.
 */
export function mpiWorld(): { rank: number; size: number } {
  return native.mpiWorld();
}
