// Which products gemm() hands to OpenBLAS, by shape class, dtype and thread
// count, and which the built-in kernel computes at AVX2 on an AVX-512 CPU:
// from the table measured per CPU family (gemmDispatchTable.ts, written by
// `node bench/calibrate.js`), applied when the addon loads; the native
// default rules where this family has no row (see native/kernels/gemm.h),
// with the built-in levels of a row measured on the same CPU model.
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
  backendInfo(): { simd: string; openblasCore?: string; cpuVendor: string; cpuModel: string; gemm: string };
  gemmDispatch(): GemmDispatchClasses;
  gemmDispatchDefaults(): GemmDispatchClasses;
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

/**
 * A row measured on this CPU model (the same SIMD level, vendor and CPUID
 * family and model) that names built-in levels: their choice compares the
 * built-in kernel with itself, so it holds on this CPU whatever OpenBLAS
 * there is, or none.
 */
function levelsRow(info: { simd: string; cpuVendor: string; cpuModel: string }, table: Record<string, GemmDispatchRow>): GemmDispatchRow | undefined {
  if (!info.cpuModel) return undefined;
  return Object.entries(table).find(([key, row]) => row.cpu === info.cpuModel && row.builtinAvx2 &&
    key.startsWith(`${info.simd}/`) && key.endsWith(`/${info.cpuVendor}`))?.[1];
}

/**
 * Sets the dispatch from this family's row of the table: its classes and
 * levels; without a row (or without OpenBLAS), the default rules and the
 * levels measured on this CPU model, if any (DEEPNET_GEMM_DISPATCH=default
 * keeps the default rules and levels).
 */
export function applyGemmDispatch(binding: DispatchBinding, table: Record<string, GemmDispatchRow> = GEMM_DISPATCH_TABLE): void {
  const info = binding.backendInfo();
  const family = gemmFamily(info);
  const row = table[family];
  const asDefault = process.env.DEEPNET_GEMM_DISPATCH === 'default';
  // Where this family's row does not apply: the levels measured on this CPU model.
  const twin = asDefault ? undefined : levelsRow(info, table);
  const twinNote = twin ? `; the built-in kernel's levels as measured on ${twin.machine} (${twin.cpu}), ${twin.measured}` : '';
  if (info.gemm === 'openblas' && !asDefault && row) {
    binding.setGemmDispatch(row.openblas, row.builtinAvx2);
    source = `measured on ${row.machine}, ${row.measured} (bench/calibrate.js)`;
    return;
  }
  binding.setGemmDispatch(binding.gemmDispatchDefaults(), twin?.builtinAvx2);
  if (info.gemm !== 'openblas') source = `no OpenBLAS: the built-in kernel computes every product${twinNote}`;
  else if (asDefault) source = 'the default rules (DEEPNET_GEMM_DISPATCH=default)';
  else source = `the default rules: no measurement for ${family} in the table (node bench/calibrate.js makes one)${twinNote}`;
}

/** The dispatch now, for backendInfo(). */
export function gemmDispatchInfo(binding: DispatchBinding): GemmDispatchInfo {
  return { family: gemmFamily(binding.backendInfo()), source, openblas: binding.gemmDispatch(), builtinAvx2: binding.gemmBuiltinAvx2() };
}
