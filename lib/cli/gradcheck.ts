// deepnet gradcheck: checks backpropagation against central differences on a
// small random network, optionally with the course's planted bug.
import { lModelBackward } from '../backward';
import { lModelForward } from '../forward';
import { gradientCheckN } from '../gradcheck';
import { initializeParametersHe } from '../init';
import { Grads } from '../parameters';
import { RandomState } from '../rng';
import { intList, number, parse, positiveInt, UsageError } from './usage';

export const GRADCHECK_HELP = `Usage: deepnet gradcheck [options]

Checks deepnet's backward pass against central differences (the course's
gradient_check_n) on random data, and reports which parameters deviate.
Exits 1 when the check fails.

  --layers LIST     layer sizes (default 4,5,3,1: the course's test case)
  --examples M      examples of random data (default 3)
  --lambd X         check the L2-regularized cost and gradient (default 0)
  --epsilon X       the perturbation (default 1e-7)
  --sample K        check K random coordinates instead of all
  --seed N          seed of the data, the weights and the sample (default 1)
  --bug             plant the course's bugs (dW2 doubled, db1 four times too large)
                    to see the check catch them
  --json            one JSON object on stdout
  --verbose         stack traces on errors
  -h, --help        this help`;

export function gradcheck(argv: string[]): number {
  const c = 'gradcheck';
  const a = parse(c, argv, {
    layers: { type: 'string' }, examples: { type: 'string' }, lambd: { type: 'string' }, epsilon: { type: 'string' },
    sample: { type: 'string' }, seed: { type: 'string' }, bug: { type: 'boolean' },
  });
  if (a.help) {
    process.stdout.write(`${GRADCHECK_HELP}\n`);
    return 0;
  }
  const layers = intList(c, 'layers', a.layers) ?? [4, 5, 3, 1];
  if (layers.length < 2 || layers[layers.length - 1] !== 1) throw new UsageError('deepnet gradcheck: --layers must have at least 2 sizes and end with 1');
  if (a.bug && layers.length < 3) throw new UsageError('deepnet gradcheck: --bug needs at least two layers of weights (it alters dW2)');
  const m = number(c, 'examples', a.examples, positiveInt, 'a positive integer') ?? 3;
  const lambd = number(c, 'lambd', a.lambd, (n) => n >= 0, 'a number >= 0') ?? 0;
  const epsilon = number(c, 'epsilon', a.epsilon, (n) => n > 0, 'a positive number') ?? 1e-7;
  const seed = number(c, 'seed', a.seed, (n) => Number.isInteger(n) && n >= 0 && n < 2 ** 32, 'an integer in [0, 2^32 - 1]') ?? 1;
  const total = layers.slice(1).reduce((s, n, i) => s + n * (layers[i] + 1), 0);
  const sample = number(c, 'sample', a.sample, (n) => positiveInt(n) && n <= total, `an integer in [1, ${total}]`);

  const rng = new RandomState(seed);
  const X = rng.randn(layers[0], m);
  const Y = { shape: [1, m] as [number, number], data: rng.rand(1, m).data.map((u) => (u < 0.5 ? 1 : 0)) };
  const parameters = initializeParametersHe(layers, { seed });
  const [AL, caches] = lModelForward(X, parameters);
  let grads: Grads = lModelBackward(AL, Y, caches, { lambd });
  if (a.bug) {
    const times = (g: Grads[string], k: number) => ({ shape: g.shape, data: g.data.map((v) => v * k) });
    grads = { ...grads, dW2: times(grads.dW2, 2), db1: times(grads.db1, 4) };
  }
  const r = gradientCheckN(parameters, grads, X, Y, { epsilon, lambd, ...(sample ? { sample, seed } : {}) });
  if (a.json) {
    process.stdout.write(`${JSON.stringify({ difference: r.difference, passed: r.passed, threshold: r.threshold,
      checked: r.indices.length, breakdown: r.breakdown.map(({ key, difference, passed, worst }) => ({ key, difference, passed, worst })) })}\n`);
  } else {
    process.stdout.write(`${r.passed ? 'Your backward propagation works perfectly fine!' : 'There is a mistake in the backward propagation!'}` +
      ` difference = ${r.difference.toExponential(6)} (threshold ${r.threshold}, ${r.indices.length} coordinates)\n`);
    for (const p of r.breakdown) {
      const worst = p.worst[0];
      process.stdout.write(`  ${p.key.padEnd(4)} ${p.passed ? 'ok      ' : 'DEVIATES'} difference ${p.difference.toExponential(3)}` +
        (worst && !p.passed ? `  worst at [${worst.index}]: grad ${worst.grad.toPrecision(6)} vs numerical ${worst.gradapprox.toPrecision(6)}` : '') + '\n');
    }
  }
  return r.passed ? 0 : 1;
}
