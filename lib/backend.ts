// Which native backend runs the math, and how many threads it uses.
import { integerIn } from './errors';
import { native, NativeBackendInfo } from './native';

/** What backendInfo() reports: the gemm backend, the SIMD level, threads, versions. */
export type BackendInfo = NativeBackendInfo;

/**
 * gemm: 'openblas' (found at run time) or 'builtin' (DEEPNET_GEMM=builtin, or
 * no OpenBLAS on the machine): the backend of the large products (on AVX2
 * CPUs thin and small products always use the built-in kernel, see README);
 * simd: 'avx2+fma' or 'portable'; threads; the addon's version.
 */
export function backendInfo(): BackendInfo {
  return native.backendInfo();
}

/** Threads for gemm and the elementwise kernels (also sets OpenBLAS's). */
export function setNumThreads(n: number): void {
  native.setNumThreads(integerIn('setNumThreads', 'n', n, 1, 256));
}
