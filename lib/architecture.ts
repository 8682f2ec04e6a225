// The kinds of a network's layers: one activation per hidden layer and an
// output layer (the "head"). The one place that validates them, for Model,
// the notes' functions and model files alike.
import { typeError } from './errors';

/** Hidden-layer activations: relu (the notes'), tanh, sigmoid, leaky relu (slope 0.01, as PyTorch's default). */
export type HiddenActivation = 'relu' | 'tanh' | 'sigmoid' | 'leakyRelu';
/**
 * The output layer: 'sigmoid' (binary or independent 0/1 labels, cross-entropy),
 * 'softmax' (K classes, cross-entropy), 'linear' (regression, squared error).
 */
export type Output = 'sigmoid' | 'softmax' | 'linear';

export const HIDDEN_ACTIVATIONS: readonly HiddenActivation[] = ['relu', 'tanh', 'sigmoid', 'leakyRelu'];
export const OUTPUTS: readonly Output[] = ['sigmoid', 'softmax', 'linear'];

/** What the native layer receives: one activation per hidden layer, and the head. */
export interface Architecture {
  hidden: HiddenActivation[];
  output: Output;
}

const quoted = (names: readonly string[]) => names.map((n) => `'${n}'`).join(', ');

function checkOne(where: string, arg: string, value: unknown): HiddenActivation {
  if (typeof value !== 'string' || !(HIDDEN_ACTIVATIONS as readonly string[]).includes(value)) {
    throw typeError(where, arg, `one of ${quoted(HIDDEN_ACTIVATIONS)}`, value);
  }
  return value as HiddenActivation;
}

/**
 * The architecture of a network with layer sizes dims = [n_0, ..., n_L]:
 * `activation` is one name for every hidden layer or a list of L - 1 names
 * (default 'relu'); `output` defaults to 'sigmoid'. Softmax needs at least
 * two output units.
 */
export function checkArchitecture(where: string, dims: readonly number[], activation: unknown, output: unknown): Architecture {
  const hiddenLayers = dims.length - 2;
  let hidden: HiddenActivation[];
  if (activation === undefined) {
    hidden = new Array<HiddenActivation>(hiddenLayers).fill('relu');
  } else if (Array.isArray(activation)) {
    if (activation.length !== hiddenLayers) {
      throw new RangeError(`${where}: activation must list one activation per hidden layer (${hiddenLayers} for layers ` +
        `[${dims}]); received ${activation.length}`);
    }
    hidden = activation.map((a, i) => checkOne(where, `activation[${i}]`, a));
  } else {
    hidden = new Array<HiddenActivation>(hiddenLayers).fill(checkOne(where, 'activation', activation));
  }
  const out = output ?? 'sigmoid';
  if (typeof out !== 'string' || !(OUTPUTS as readonly string[]).includes(out)) {
    throw typeError(where, 'output', `one of ${quoted(OUTPUTS)}`, output);
  }
  const K = dims[dims.length - 1];
  if (out === 'softmax' && K < 2) {
    throw new RangeError(`${where}: a softmax output needs at least 2 units (one per class); layers [${dims}] end with ${K}`);
  }
  return { hidden, output: out as Output };
}

/** The activation of every layer 1..L, for summaries and model files. */
export function layerActivations(a: Architecture): string[] {
  return [...a.hidden, a.output];
}
