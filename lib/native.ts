// Loads the native addon once: a prebuild or a local build through
// node-gyp-build, or the file named by DEEPNET_ADDON (used to test the CMake
// and sanitizer builds of the same sources).
import { applyGemmDispatch, GemmClass, GemmDispatchClasses, GemmLevelClasses } from './gemmDispatch';
import * as path from 'path';

type F = Float64Array | Float32Array;
type Arrays = F[];

export interface NativeRandomState {
  seed(s: number): void;
  fillRand(out: Float64Array): void;
  fillRandn(out: Float64Array): void;
  fillUint32(out: Uint32Array): void;
  fillPermutation(out: Int32Array): void;
  getState(): { key: Uint32Array; pos: number; hasGauss: boolean; gauss: number };
  setState(key: Uint32Array, pos: number, hasGauss: boolean, gauss: number): void;
}

export interface NativeBackendInfo {
  /** The backend of the products gemm() does not keep on the built-in kernel (see docs/backends.md). */
  gemm: 'openblas' | 'builtin';
  /** The SIMD level the kernels run at. */
  simd: 'avx512' | 'avx2+fma' | 'neon' | 'portable';
  /** Why that level: the best the CPU has, or DEEPNET_SIMD (and whether the CPU could honour it). */
  simdReason: string;
  /** The best level this CPU supports. */
  simdBest: 'avx512' | 'avx2+fma' | 'neon' | 'portable';
  /** The CPU's vendor: 'AMD', 'Intel', CPUID's vendor string for others, '' off x86. */
  cpuVendor: string;
  /** The CPU's CPUID family and model, 'family 25 model 17' (a Zen 4); '' off x86. */
  cpuModel: string;
  /** Threads for gemm and the elementwise kernels. */
  threads: number;
  /** The addon's version (the package's). */
  version: string;
  /** The Node-API version the addon was built for. */
  napiVersion: number;
  /** The OpenBLAS library loaded, when one was. */
  openblasLibrary?: string;
  /** Its build configuration (openblas_get_config). */
  openblasConfig?: string;
  /** The kernel family it runs on this CPU (openblas_get_corename). */
  openblasCore?: string;
  /** The MPI library found for distributed training, or why there is none. */
  mpi: string;
  /**
   * How the optimizers compute a dead unit's subnormal moments (the same bits either way):
   * measured per optimizer, dtype and SIMD level (the default), or DEEPNET_SUBNORMAL=checked|hardware.
   */
  subnormal: string;
  /** The optimizers measured so far in this process and what each chose, e.g. "float32 adam (avx2): the hardware's, the safe path 2.91x its time". */
  subnormalChoices: string[];
}

/** The layers' kinds, as the native layer takes them (see architecture.ts). */
export interface NativeArchitecture {
  hidden: string[];
  output: string;
}

/** Fit settings, as fit_args.h reads them. */
export interface NativeFitSettings {
  learningRate: number;
  epochs: number;
  logEvery: number;
  optimizer: 'gd' | 'momentum' | 'rmsprop' | 'adam';
  beta: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  batchSize: number;
  shuffle: boolean;
  shuffleSeed: number;
  decay: 'none' | 'inverse' | 'step';
  decayRate: number;
  decayInterval: number;
  firstEpoch: number;
  patience: number;
  minDelta: number;
  restoreBest: boolean;
  distributed?: true | { sharded: boolean; checkEvery: number };
}

/** Per-epoch outputs of a fit, each of `epochs` entries. */
export interface NativeHistory {
  costs: Float64Array;
  valCosts: Float64Array;
  valAccuracies: Float64Array;
  learningRates: Float64Array;
}

/** Where parseCsv got to in a chunk (see native/kernels/csv.h). */
export interface NativeCsvProgress {
  pos: number;
  row: number;
  lines: number;
  stopped: boolean;
}

export interface NativeBinding {
  backendInfo(): NativeBackendInfo;
  gemmDispatch(): GemmDispatchClasses;
  gemmDispatchDefaults(): GemmDispatchClasses;
  gemmBuiltinAvx2(): GemmLevelClasses;
  setGemmDispatch(openblas: GemmDispatchClasses, builtinAvx2?: GemmLevelClasses): void;
  gemmClass(transA: boolean, transB: boolean, M: number, N: number, K: number, ldb: number, dtype: string):
    { class: GemmClass; backend: 'openblas' | 'builtin'; builtinLevel: 'avx512' | 'avx2+fma' | 'neon' | 'portable' };
  setNumThreads(n: number): void;
  /** The optimizers' path for subnormal moments (native/kernels/optimizers.h): tests run each. */
  setSubnormalPath(path: 'measured' | 'checked' | 'hardware'): void;
  /** Bytes new allocations may take: MemAvailable, or a cgroup's limit less its use (native/kernels/memory.h). */
  availableMemory(): number;
  mpiWorld(): { rank: number; size: number };
  RandomState: new (seed: number) => NativeRandomState;
  initWeights(rng: NativeRandomState, W: F, n: number, k: number, method: string, scale: number): void;
  linearForward(Z: F, W: F, A: F, b: F, n: number, k: number, m: number): void;
  activationForward(A: F, Z: F, activation: string): void;
  softmaxForward(A: F, Z: F, K: number, m: number): void;
  modelForward(
    X: F, Ws: Arrays, bs: Arrays, Zs: Arrays, As: Arrays, dims: number[], m: number,
    keepProb: number, rng: NativeRandomState | null, Ds: Arrays, arch: NativeArchitecture,
  ): void;
  computeCost(AL: F, Y: F, form: 'notes' | 'course2'): number;
  headCost(Z: F, A: F, Y: F, K: number, m: number, output: string): number;
  activationBackward(dZ: F, dA: F, Z: F, activation: string): void;
  linearBackward(
    dAPrev: F, dW: F, db: F, dZ: F,
    APrev: F, W: F, n: number, k: number, m: number,
  ): void;
  modelBackward(
    X: F, Y: F, Ws: Arrays, Zs: Arrays, As: Arrays,
    dAs: Arrays, dWs: Arrays, dbs: Arrays, dims: number[], m: number,
    lambd: number, keepProb: number, Ds: Arrays, arch: NativeArchitecture,
  ): void;
  update(Ps: Arrays, dPs: Arrays, learningRate: number): void;
  optimizerStep(settings: NativeFitSettings, Ps: Arrays, Gs: Arrays, vs: Arrays, ss: Arrays, learningRate: number,
    t: number, vHats: Arrays | null, sHats: Arrays | null): void;
  firstNonFinite(a: F): number;
  l2Cost(Ws: Arrays, m: number, lambd: number): number;
  gradcheckCosts(
    X: F, Y: F, Ws: Arrays, bs: Arrays, dims: number[], m: number, lambd: number, epsilon: number,
    index: Float64Array, Jplus: Float64Array, Jminus: Float64Array, arch: NativeArchitecture,
  ): number;
  parseCsv(
    chunk: Uint8Array, pos: number, end: number, final: boolean, delimiter: number, width: number,
    label: number, labels: 'binary' | 'classes' | 'values', rows: boolean, m: number, row: number, X: F, Y: F | null,
  ): NativeCsvProgress;
  train(
    X: F, Y: F, Ws: Arrays, bs: Arrays, dims: number[], m: number,
    learningRate: number, iterations: number, logEvery: number,
    onLog: ((iteration: number, cost: number) => boolean | void) | null, costs: Float64Array,
  ): number;
  trainMiniBatch(
    X: F, Y: F, m: number, settings: NativeFitSettings, onLog: ((epoch: number, cost: number) => void) | null,
    history: NativeHistory, validation: null, parameters: F, dims: number[],
  ): number;
}

const root = path.resolve(__dirname, '..');

/** The addon file that loaded: a prebuild shipped in prebuilds/, a local (source) build, or DEEPNET_ADDON's. */
export interface AddonOrigin {
  kind: 'prebuild' | 'source build' | 'DEEPNET_ADDON';
  file: string;
}

function load(): { binding: NativeBinding; origin: AddonOrigin } {
  const override = process.env.DEEPNET_ADDON;
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const file: string = override ? path.resolve(override) : require('node-gyp-build').resolve(root);
    // node-gyp-build finds prebuilds at prebuilds/<platform>-<arch>/<file>, builds under build/.
    const prebuilt = path.basename(path.dirname(path.dirname(file))) === 'prebuilds';
    const kind = override ? 'DEEPNET_ADDON' : prebuilt ? 'prebuild' : 'source build';
    return { binding: require(file) as NativeBinding, origin: { kind, file } };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(
      `deepnet: could not load the native addon (${reason}). ` +
        `Looked for ${override ? `DEEPNET_ADDON=${override}` : `a prebuild for ${process.platform}-${process.arch} ` +
        `(Node-API ${process.versions.napi}) or a local build in ${path.join(root, 'build')}`}. ` +
        'To build from source: install a C++ compiler, python3 and make, then run `npm rebuild deepnet` ' +
        '(or `npx node-gyp rebuild` in the package directory).',
    );
  }
}

const loaded = load();
export const native: NativeBinding = loaded.binding;
applyGemmDispatch(native);
{
  const { simdReason, subnormal } = loaded.binding.backendInfo();
  if (/is not a level/.test(simdReason)) process.emitWarning(`deepnet: ${simdReason}`);
  if (/is not a path/.test(subnormal)) process.emitWarning(`deepnet: ${subnormal}`);
}
export const addonOrigin: AddonOrigin = loaded.origin;
