// The Model's file format, on safetensors (see safetensors.ts):
//   tensors   W1, b1, ..., WL, bL (the model's dtype; W (n_l, n_{l-1}), b (n_l, 1));
//             optimizer.v, optimizer.s (flat, like W1, b1, ..., bL) when the
//             optimizer keeps them
//   metadata  format "deepnet-model", deepnet_version, layers, activations (one
//             per layer, the last being the output), output, dtype, init, seed,
//             l2, keep_prob, dropout_seed?, epochs_trained, learning_rate?,
//             rng_state (the generator of dropout masks and shuffles),
//             optimizer? ({ key, t }: which optimizer the state belongs to),
//             scaler? (the input scaler's toJSON(), see scalers.ts)
// Files of deepnet 0.1 (relu hidden layers, sigmoid output, iterations_trained,
// no optimizer) still load. Every header field and tensor is checked against
// the layers before a model is built, so a hostile file costs no more
// memory than its own size.
import { checkArchitecture, HiddenActivation, Output } from '../architecture';
import { DType } from '../matrix';
import { RandomStateState } from '../rng';
import { ScalerJSON, scalerFromJSON } from '../scalers';
import { decode, encode, Tensor } from './safetensors';

/** Model's initializations, each drawing exactly as its notes function: 'deep' (the default), 'he', 'xavier', 'random', 'zeros'. */
export type InitName = 'deep' | 'he' | 'random' | 'zeros' | 'xavier';
export const INIT_NAMES: readonly InitName[] = ['deep', 'he', 'xavier', 'random', 'zeros'];

/** A model's settings as its file records them. */
export interface ModelSettings {
  layers: number[];
  activation: HiddenActivation[];
  output: Output;
  init: InitName;
  seed: number;
  dtype: DType;
  l2: number;
  keepProb: number;
  dropoutSeed?: number;
}

export interface OptimizerFileState {
  key: string;
  t: number;
  v: Float64Array | Float32Array | null;
  s: Float64Array | Float32Array | null;
}

export interface ModelFile {
  settings: ModelSettings;
  /** W1, b1, ..., WL, bL in one array of the model's dtype. */
  parameters: Float64Array | Float32Array;
  epochsTrained: number;
  learningRate?: number;
  rng?: RandomStateState;
  optimizer?: OptimizerFileState;
  /** The input scaler (absent in files of models without one, and in older files). */
  scaler?: ScalerJSON;
  version: string;
}

/** The parameters' count and each tensor's name and shape, in file order. */
function tensorShapes(layers: readonly number[]): [string, [number, number]][] {
  const out: [string, [number, number]][] = [];
  for (let l = 1; l < layers.length; l++) {
    out.push([`W${l}`, [layers[l], layers[l - 1]]], [`b${l}`, [layers[l], 1]]);
  }
  return out;
}

export function encodeModel(f: ModelFile): Buffer {
  const dtype = f.settings.dtype === 'float64' ? 'F64' : 'F32';
  const tensors: [string, Tensor][] = [];
  let at = 0;
  for (const [name, [n, k]] of tensorShapes(f.settings.layers)) {
    tensors.push([name, { dtype, shape: [n, k], data: f.parameters.subarray(at, at + n * k) }]);
    at += n * k;
  }
  const o = f.optimizer;
  if (o?.v) tensors.push(['optimizer.v', { dtype, shape: [o.v.length], data: o.v }]);
  if (o?.s) tensors.push(['optimizer.s', { dtype, shape: [o.s.length], data: o.s }]);
  const s = f.settings;
  const rng = f.rng;
  return encode(tensors, {
    format: 'deepnet-model',
    deepnet_version: f.version,
    layers: JSON.stringify(s.layers),
    activations: JSON.stringify([...s.activation, s.output]),
    output: s.output,
    dtype: s.dtype,
    init: s.init,
    seed: String(s.seed),
    l2: String(s.l2),
    keep_prob: String(s.keepProb),
    ...(s.dropoutSeed === undefined ? {} : { dropout_seed: String(s.dropoutSeed) }),
    epochs_trained: String(f.epochsTrained),
    ...(f.learningRate === undefined ? {} : { learning_rate: String(f.learningRate) }),
    ...(rng ? { rng_state: JSON.stringify({ key: Buffer.from(rng.key.buffer, rng.key.byteOffset, rng.key.byteLength).toString('base64'),
      pos: rng.pos, hasGauss: rng.hasGauss, gauss: rng.gauss }) } : {}),
    ...(o ? { optimizer: JSON.stringify({ key: o.key, t: o.t }) } : {}),
    ...(f.scaler ? { scaler: JSON.stringify(f.scaler) } : {}),
  });
}

/** Parses and checks a model file's bytes; errors name `where` and `file`. */
export function decodeModel(where: string, file: string, bytes: Buffer, allowNonFinite: boolean): ModelFile {
  const { metadata, tensors } = decode(bytes, file);
  const bad = (key: string, why: string): never => {
    throw new Error(`${where}: ${file}: header field ${key} ${why}`);
  };
  const meta = metadata;
  if (meta.format !== 'deepnet-model') bad('format', `is ${JSON.stringify(meta.format)}, expected "deepnet-model" (not a deepnet model file)`);
  const json = (key: string): unknown => {
    if (meta[key] === undefined) bad(key, 'is missing');
    try {
      return JSON.parse(meta[key]);
    } catch {
      return bad(key, `is not JSON: ${JSON.stringify(meta[key].slice(0, 40))}`);
    }
  };
  const number = (key: string, fallback?: number): number => {
    if (meta[key] === undefined && fallback !== undefined) return fallback;
    const v = Number(meta[key]);
    if (meta[key] === undefined || meta[key].trim() === '' || !Number.isFinite(v)) bad(key, `is ${JSON.stringify(meta[key])}, not a number`);
    return v;
  };
  /** A number field within what the model accepts; `range` says it for the error. */
  const within = (key: string, fallback: number | undefined, ok: (v: number) => boolean, range: string): number => {
    const v = number(key, fallback);
    if (!ok(v)) bad(key, `is ${meta[key]}, not ${range}`);
    return v;
  };
  const integer = (key: string, fallback: number | undefined, max: number): number =>
    within(key, fallback, (v) => Number.isInteger(v) && v >= 0 && v <= max, `an integer in [0, ${max}]`);
  const layers = json('layers');
  if (!Array.isArray(layers) || layers.length < 2 || !layers.every((n) => Number.isInteger(n) && n >= 1 && n <= 2 ** 31 - 1)) {
    bad('layers', `is ${meta.layers}, not a list of positive layer sizes`);
  }
  const dims = layers as number[];
  if (meta.dtype !== 'float64' && meta.dtype !== 'float32') bad('dtype', `is ${JSON.stringify(meta.dtype)}`);
  const dtype = meta.dtype as DType;
  const init = (meta.init ?? 'deep') as InitName;
  if (!INIT_NAMES.includes(init)) bad('init', `is ${JSON.stringify(meta.init)}`);

  // The tensors against the layers, before anything the layers size is allocated.
  const tensorDType = dtype === 'float64' ? 'F64' : 'F32';
  const expected = new Set<string>();
  let count = 0;
  for (const [name, shape] of tensorShapes(dims)) {
    expected.add(name);
    const t = tensors.get(name);
    if (!t) throw new Error(`${where}: ${file} has no tensor ${name} (layers [${dims}])`);
    if (t.dtype !== tensorDType) throw new Error(`${where}: ${file}: tensor ${name} is ${t.dtype} but the model is ${dtype}`);
    if (t.shape.length !== 2 || t.shape[0] !== shape[0] || t.shape[1] !== shape[1]) {
      throw new Error(`${where}: ${file}: tensor ${name} has shape [${t.shape}], layers [${dims}] need [${shape}]`);
    }
    count += shape[0] * shape[1];
  }
  let optimizer: OptimizerFileState | undefined;
  if (meta.optimizer !== undefined) {
    const o = json('optimizer') as { key?: unknown; t?: unknown };
    if (o === null || typeof o !== 'object' || typeof o.key !== 'string' || !Number.isSafeInteger(o.t) || (o.t as number) < 0) {
      bad('optimizer', 'is not { key, t } (t a count of steps)');
    }
    const state = (name: string): Float64Array | Float32Array | null => {
      const t = tensors.get(name);
      if (!t) return null;
      expected.add(name);
      if (t.dtype !== tensorDType || t.shape.length !== 1 || t.shape[0] !== count) {
        throw new Error(`${where}: ${file}: tensor ${name} must be ${tensorDType} of shape [${count}]; it is ${t.dtype} [${t.shape}]`);
      }
      return t.data as Float64Array | Float32Array;
    };
    optimizer = { key: (o as { key: string }).key, t: (o as { t: number }).t, v: state('optimizer.v'), s: state('optimizer.s') };
  }
  const unexpected = [...tensors.keys()].filter((k) => !expected.has(k));
  if (unexpected.length > 0) throw new Error(`${where}: ${file}: unexpected tensors ${unexpected.join(', ')}`);

  const activations = meta.activations === undefined ? undefined : json('activations');
  if (activations !== undefined && (!Array.isArray(activations) || activations.length !== dims.length - 1)) {
    bad('activations', `is ${meta.activations}, not one activation per layer of [${dims}]`);
  }
  const acts = activations as string[] | undefined;
  const output = meta.output ?? acts?.[acts.length - 1] ?? 'sigmoid';
  let arch;
  try {
    arch = checkArchitecture(where, dims, acts ? acts.slice(0, -1) : undefined, output);
  } catch (err) {
    return bad('activations', (err as Error).message.replace(`${where}: `, ''));
  }
  const dropoutSeed = meta.dropout_seed === undefined ? undefined : integer('dropout_seed', undefined, 2 ** 32 - 1);
  const settings: ModelSettings = {
    layers: dims, activation: arch.hidden, output: arch.output, init, dtype, seed: integer('seed', 3, 2 ** 32 - 1),
    l2: within('l2', 0, (v) => v >= 0, 'a number >= 0'),
    keepProb: within('keep_prob', 1, (v) => v > 0 && v <= 1, 'in (0, 1]'), ...(dropoutSeed === undefined ? {} : { dropoutSeed }),
  };

  let rng: RandomStateState | undefined;
  if (meta.rng_state !== undefined) {
    const r = json('rng_state') as { key?: unknown; pos?: unknown; hasGauss?: unknown; gauss?: unknown };
    const key = typeof r?.key === 'string' ? Buffer.from(r.key, 'base64') : Buffer.alloc(0);
    if (key.length !== 624 * 4 || !Number.isInteger(r.pos) || (r.pos as number) < 0 || (r.pos as number) > 624 ||
      typeof r.hasGauss !== 'boolean' || typeof r.gauss !== 'number' || !Number.isFinite(r.gauss)) {
      bad('rng_state', 'is not a generator state { key (624 words), pos, hasGauss, gauss }');
    }
    // Mersenne Twister from an all-zero key gives zeros forever: no generator is ever in that state.
    if (key.every((byte) => byte === 0)) bad('rng_state', 'has an all-zero key, which no generator reaches');
    rng = { key: new Uint32Array(key.buffer.slice(key.byteOffset, key.byteOffset + key.length)), pos: r.pos as number,
      hasGauss: r.hasGauss as boolean, gauss: r.gauss as number };
  }

  const parameters = dtype === 'float64' ? new Float64Array(count) : new Float32Array(count);
  let at = 0;
  for (const [name] of tensorShapes(dims)) {
    const data = tensors.get(name)!.data as Float64Array | Float32Array;
    if (!allowNonFinite) {
      const i = data.findIndex((v) => !Number.isFinite(v));
      if (i >= 0) {
        throw new Error(`${where}: ${file}: tensor ${name} holds ${data[i]} at index ${i} (pass { allowNonFinite: true } to load it anyway)`);
      }
    }
    parameters.set(data, at);
    at += data.length;
  }
  let scaler: ScalerJSON | undefined;
  if (meta.scaler !== undefined) {
    const given = json('scaler');
    try {
      scaler = scalerFromJSON(given).toJSON();
    } catch (err) {
      return bad('scaler', (err as Error).message.replace('scalerFromJSON: ', 'is not a valid scaler: '));
    }
    if (scaler.scale.length !== dims[0]) bad('scaler', `holds ${scaler.scale.length} features but layers [${dims}] take ${dims[0]}`);
  }
  const trained = meta.epochs_trained !== undefined ? integer('epochs_trained', undefined, Number.MAX_SAFE_INTEGER)
    : integer('iterations_trained', 0, Number.MAX_SAFE_INTEGER);
  const learningRate = meta.learning_rate === undefined ? undefined
    : within('learning_rate', undefined, (v) => v > 0, 'a positive number');
  return {
    settings, parameters, epochsTrained: trained, version: meta.deepnet_version ?? 'unknown',
    ...(learningRate === undefined ? {} : { learningRate }),
    ...(rng ? { rng } : {}), ...(optimizer ? { optimizer } : {}), ...(scaler ? { scaler } : {}),
  };
}
