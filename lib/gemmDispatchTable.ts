// Written by `node bench/calibrate.js`: per CPU family (SIMD level / OpenBLAS
// kernel family / CPU vendor), the shape classes where OpenBLAS measured
// faster than the built-in kernel, per dtype and thread count, and at
// AVX-512 those where the built-in kernel's AVX2 paths did (see
// gemmDispatch.ts).
import type { GemmDispatchClasses, GemmLevelClasses } from './gemmDispatch';

/** One CPU family's measured dispatch. */
export interface GemmDispatchRow {
  /** The date of the measurement. */
  measured: string;
  /** The machine it was measured on. */
  machine: string;
  /** Its CPUID family and model (backendInfo().cpuModel): where builtinAvx2 also applies without this row's OpenBLAS. */
  cpu?: string;
  /** The classes OpenBLAS computes. */
  openblas: GemmDispatchClasses;
  /** At the AVX-512 level: the classes the built-in kernel computes with its AVX2 kernels (none when absent). */
  builtinAvx2?: GemmLevelClasses;
}

/** The measured rows, by family. */
export const GEMM_DISPATCH_TABLE: Record<string, GemmDispatchRow> = {
  "avx512/SkylakeX/Intel": {
    "measured": "2026-12-02",
    "machine": "Intel(R) Xeon(R) Processor, OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY SkylakeX MAX_THREADS=64",
    "openblas": {
      "float64": [
        [],
        []
      ],
      "float32": [
        [],
        []
      ]
    }
  },
  "avx2+fma/Zen/AMD": {
    "measured": "2026-12-02",
    "machine": "AMD EPYC, OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64",
    "openblas": {
      "float64": [
        [],
        []
      ],
      "float32": [
        [],
        []
      ]
    }
  },
  "avx512/Cooperlake/AMD": {
    "measured": "2026-12-02",
    "machine": "AMD EPYC, OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Cooperlake MAX_THREADS=64",
    "cpu": "family 25 model 17",
    "openblas": {
      "float64": [
        [
          "packed"
        ],
        [
          "packed"
        ]
      ],
      "float32": [
        [],
        []
      ]
    },
    "builtinAvx2": {
      "float64": [
        "packedShallow"
      ],
      "float32": [
        "thin",
        "thinNT",
        "packedShallow",
        "packed"
      ]
    }
  },
  "avx512/Haswell/AMD": {
    "measured": "2026-12-03",
    "machine": "AMD EPYC, OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64",
    "cpu": "family 26 model 2",
    "openblas": {
      "float64": [
        [],
        []
      ],
      "float32": [
        [],
        []
      ]
    },
    "builtinAvx2": {
      "float64": [],
      "float32": []
    }
  }
};
