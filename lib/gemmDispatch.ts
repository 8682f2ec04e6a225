// Which products gemm() hands to OpenBLAS, by shape class, dtype and thread
// count, and which the built-in kernel computes at AVX2 on an AVX-512 CPU:
// from the table measured per CPU family (gemmDispatchTable.ts, written by
// `node bench/calibrate.js`), applied when the addon loads; the native
// default rules where this family has no row (see native/kernels/gemm.h).
import { GEMM_DISPATCH_TABLE, GemmDispatchRow } from './gemmDispatchTable';

/** The dispatch's shape classes: the built-in kernel's path for a product (docs/backends.md). */
export type GemmClass = 'smallK' | 'thin' | 'thinNT' | 'dot' | 'packedShallow' | 'packed';

/** The classes OpenBLAS computes, per dtype: [with one thread, with more]. */
export interface GemmDispatchClasses {
  /** float64 products: [with one thread, with more]. */
  float64: [GemmClass[], GemmClass[]];
  /** float32 products: [with one thread, with more]. */
  float32: [GemmClass[], GemmClass[]];
}

/**
 * The classes the built-in kernel computes with its AVX2 kernels on a CPU
 * running AVX-512 (where they measured faster: a Zen 4 executes 512-bit
 * operations as two halves), per dtype, whatever the thread count.
 */
export interface GemmLevelClasses {
  /** The float64 products' classes. */
  float64: GemmClass[];
  /** The float32 products' classes. */
  float32: GemmClass[];
}

/** backendInfo().gemmDispatch: what the dispatch is on this machine, and why. */
export interface GemmDispatchInfo {
  /** The CPU family the table is keyed by: SIMD level / OpenBLAS's kernel family / CPU vendor. */
  family: string;
  /** 'measured on <machine>, <date> (bench/calibrate.js)', or why the default rules apply. */
  source: string;
  /** The classes OpenBLAS computes now. */
  openblas: GemmDispatchClasses;
  /** The classes the built-in kernel computes at AVX2 where the CPU runs AVX-512 (ignored below it). */
  builtinAvx2: GemmLevelClasses;
}

interface DispatchBinding {
  backendInfo(): { simd: string; openblasCore?: string; cpuVendor: string; gemm: string };
  gemmDispatch(): GemmDispatchClasses;
  gemmBuiltinAvx2(): GemmLevelClasses;
  setGemmDispatch(openblas: GemmDispatchClasses, builtinAvx2?: GemmLevelClasses): void;
}

let source = '';

/**
 * The table's key for this machine. The vendor is part of it because
 * OpenBLAS names one kernel family for CPUs that differ (0.3.21 runs a Zen 4
 * on its "Cooperlake" kernels).
 */
export function gemmFamily(info: { simd: string; openblasCore?: string; cpuVendor: string }): string {
  return `${info.simd}/${info.openblasCore ?? 'no OpenBLAS'}/${info.cpuVendor || 'unknown vendor'}`;
}

/** Applies this family's row of the table, if any (DEEPNET_GEMM_DISPATCH=default keeps the default rules). */
export function applyGemmDispatch(binding: DispatchBinding, table: Record<string, GemmDispatchRow> = GEMM_DISPATCH_TABLE): void {
  const info = binding.backendInfo();
  const family = gemmFamily(info);
  const row = table[family];
  if (info.gemm !== 'openblas') source = 'no OpenBLAS: the built-in kernel computes every product';
  else if (process.env.DEEPNET_GEMM_DISPATCH === 'default') source = 'the default rules (DEEPNET_GEMM_DISPATCH=default)';
  else if (!row) source = `the default rules: no measurement for ${family} in the table (node bench/calibrate.js makes one)`;
  else {
    binding.setGemmDispatch(row.openblas, row.builtinAvx2);
    source = `measured on ${row.machine}, ${row.measured} (bench/calibrate.js)`;
  }
}

/** The dispatch now, for backendInfo(). */
export function gemmDispatchInfo(binding: DispatchBinding): GemmDispatchInfo {
  return { family: gemmFamily(binding.backendInfo()), source, openblas: binding.gemmDispatch(), builtinAvx2: binding.gemmBuiltinAvx2() };
}
