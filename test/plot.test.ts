// Plots: Vega-Lite specs rendered to SVG in Node, and PNG through resvg. The
// SVGs are checked by their marks (vega writes one <g class="mark-..."> group
// per mark, holding one <path> per item) and texts.
import { matrix, Matrix, Model } from '../lib';
import { classColors } from '../lib/plot/style';
import {
  costCurveSpec, datasetSpec, decisionBoundarySpec, plotCostCurve, plotDataset, plotDecisionBoundary, svgToPng,
} from '../lib/plot';

/** The inner markup of the first <g> whose class attribute starts with cls (mark groups hold no nested <g>). */
function markGroup(svg: string, cls: string): string {
  const match = new RegExp(`<g class="${cls}[^"]*"[^>]*>(.*?)</g>`, 's').exec(svg);
  if (!match) throw new Error(`no <g class="${cls}..."> in the SVG`);
  return match[1];
}

const count = (text: string, what: string) => text.split(what).length - 1;

/** The texts of all <text> elements. */
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

/** Points of the polyline path data of a line mark ("M x,y L x,y ..."). */
const vertices = (d: string) => d.split(/[ML]/).filter(Boolean).map((p) => p.split(',').map(Number));

const pathData = (group: string) => [...group.matchAll(/ d="([^"]*)"/g)].map((m) => m[1]);

// Well-formed as far as a real SVG parser (resvg) is concerned, and an <svg> document.
function expectSvg(svg: string): void {
  expect(svg.startsWith('<svg')).toBe(true);
  expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  expect(() => svgToPng(svg, { width: 50 })).not.toThrow();
}

// Four points per class, on either side of the line x1 + x2 = 0.
const X = matrix([[-2, -1, -1.5, -0.5, 1, 2, 0.5, 1.5], [-1, -2, -0.5, -1, 1, 0.5, 2, 1]]);
const Y = matrix([[0, 0, 0, 0, 1, 1, 1, 1]]);
const POINT_COLORS = ['#d7191c', '#2b83ba'];
const REGION_COLORS = ['#fdae9b', '#a6cee3'];

/** Predicts 1 where x1 + x2 > 0.05 (off the grid's cell centres, so no ties), recording each call's grid. */
function linearClassifier() {
  const calls: Matrix[] = [];
  const predict = (G: Matrix): Matrix => {
    calls.push(G);
    const n = G.shape[1];
    const p = new Float64Array(n);
    for (let i = 0; i < n; i++) p[i] = G.data[i] + G.data[n + i] > 0.05 ? 1 : 0;
    return { shape: [1, n], data: p };
  };
  return { predict, calls };
}

describe('cost curve', () => {
  const costs = [0.69, 0.6, 0.45, 0.3, 0.2, 0.15];

  test('the course figure: cost against iterations, axis titles and "Learning rate =" title', async () => {
    const svg = await plotCostCurve(costs, { learningRate: 0.0075 });
    expectSvg(svg);
    const t = texts(svg);
    expect(t).toEqual(expect.arrayContaining(['cost', 'iterations', 'Learning rate =0.0075']));
    const [d] = pathData(markGroup(svg, 'mark-line role-mark'));
    const points = vertices(d);
    expect(points).toHaveLength(costs.length);
    // Screen y grows downwards: a falling cost is a rising y.
    points.slice(1).forEach(([, y], i) => expect(y).toBeGreaterThan(points[i][1]));
  });

  test('a flat curve (zeros initialization) gets a padded axis around its value', () => {
    const spec = costCurveSpec([0.6931, 0.6931, 0.6931]) as { encoding: { y: { scale: { domain: number[] } } } };
    const [lo, hi] = spec.encoding.y.scale.domain;
    expect(lo).toBeLessThan(0.6931);
    expect(hi).toBeGreaterThan(0.6931);
    expect(hi - lo).toBeLessThan(0.1);
  });

  test('x is the iteration i * every', () => {
    const spec = costCurveSpec(costs, { every: 50, title: 'run 1' }) as { data: { values: unknown[] }; title: unknown };
    expect(spec.data.values).toEqual(costs.map((cost, i) => ({ iteration: 50 * i, cost })));
    expect(spec.title).toBe('run 1');
  });

  test('non-finite costs are left out and listed in a subtitle', async () => {
    const svg = await plotCostCurve([NaN, 0.7, Infinity, 0.5, 0.4], { learningRate: 0.1 });
    const [d] = pathData(markGroup(svg, 'mark-line role-mark'));
    expect(vertices(d)).toHaveLength(3);
    expect(texts(svg)).toEqual(expect.arrayContaining([
      'Learning rate =0.1', '2 non-finite costs not shown: NaN at iteration 0, Infinity at iteration 200',
    ]));
  });

  test('a single cost is drawn as a point', async () => {
    const svg = await plotCostCurve([0.69]);
    expect(count(markGroup(svg, 'mark-symbol role-mark'), '<path')).toBe(1);
  });
});

describe('dataset', () => {
  test('one point per example, colored by label', async () => {
    const svg = await plotDataset(X, Y, { title: 'linear' });
    expectSvg(svg);
    const points = markGroup(svg, 'mark-symbol role-mark');
    expect(count(points, '<path')).toBe(8);
    expect(count(points, `fill="${POINT_COLORS[0]}"`)).toBe(4);
    expect(count(points, `fill="${POINT_COLORS[1]}"`)).toBe(4);
    expect(texts(svg)).toEqual(expect.arrayContaining(['linear', 'x1', 'x2']));
  });

  test('the spec holds the points as rows', () => {
    const spec = datasetSpec(X, Y) as { data: { values: unknown[] } };
    expect(spec.data.values[4]).toEqual({ x1: 1, x2: 1, label: 1 });
  });
});

describe('decision boundary', () => {
  test('predict is called once, on a (2, resolution²) grid covering the data with a margin of 1', async () => {
    const { predict, calls } = linearClassifier();
    const svg = await plotDecisionBoundary(predict, X, Y, { resolution: 40, title: 'boundary' });
    expectSvg(svg);
    expect(calls).toHaveLength(1);
    const [G] = calls;
    expect(G.shape).toEqual([2, 1600]);
    // Cell centres of [-3, 3] x [-3, 3] in 40 steps of 0.15.
    const row0 = Array.from(G.data.subarray(0, 1600));
    const row1 = Array.from(G.data.subarray(1600));
    expect(Math.min(...row0)).toBeCloseTo(-3 + 0.075, 12);
    expect(Math.max(...row0)).toBeCloseTo(3 - 0.075, 12);
    expect(Math.min(...row1)).toBeCloseTo(-3 + 0.075, 12);
    expect(Math.max(...row1)).toBeCloseTo(3 - 0.075, 12);

    const regions = markGroup(svg, 'mark-rect role-mark');
    expect(count(regions, `fill="${REGION_COLORS[0]}"`)).toBeGreaterThan(0);
    expect(count(regions, `fill="${REGION_COLORS[1]}"`)).toBeGreaterThan(0);
    expect(count(markGroup(svg, 'mark-symbol role-mark'), '<path')).toBe(8);
    expect(texts(svg)).toEqual(expect.arrayContaining(['boundary', 'prediction', 'label']));
  });

  test('regions are runs of equal prediction that tile the grid exactly', () => {
    const { predict } = linearClassifier();
    const spec = decisionBoundarySpec(predict, X, Y, { resolution: 30 }) as unknown as {
      layer: { data: { values: { x: number; x2: number; y: number; y2: number; prediction: number }[] } }[];
    };
    const regions = spec.layer[0].data.values;
    const area = regions.reduce((a, r) => a + (r.x2 - r.x) * (r.y2 - r.y), 0);
    expect(area).toBeCloseTo(36, 9);
    // The boundary splits every row into two runs but the lowest, all class 0.
    expect(regions).toHaveLength(1 + 2 * 29);
    const step = 0.2;
    for (const r of regions) {
      for (const x of [r.x + step / 2, r.x2 - step / 2]) {
        expect(x + (r.y + step / 2) > 0.05 ? 1 : 0).toBe(r.prediction);
      }
    }
  });

  test('margin as a fraction of the range; the grid has X\'s dtype', () => {
    const { predict, calls } = linearClassifier();
    const X32: Matrix = { shape: X.shape, data: Float32Array.from(X.data) };
    decisionBoundarySpec(predict, X32, Y, { resolution: 10, margin: { fraction: 0.5 } });
    const G = calls[0];
    expect(G.data).toBeInstanceOf(Float32Array);
    // Range 4 on each axis, 2 on each side: [-4, 4] in 10 cells of 0.8.
    expect(G.data[0]).toBeCloseTo(-3.6, 5);
    expect(G.data[9]).toBeCloseTo(3.6, 5);
  });

  test('works with a trained Model\'s predict', async () => {
    const model = new Model({ layers: [2, 4, 1], init: 'he', seed: 1 });
    model.fitSync(X, Y, { learningRate: 0.5, iterations: 300 });
    expect(model.evaluate(X, Y).accuracy).toBe(1);
    const svg = await plotDecisionBoundary((G) => model.predict(G), X, Y, { resolution: 30 });
    const regions = markGroup(svg, 'mark-rect role-mark');
    expect(count(regions, `fill="${REGION_COLORS[0]}"`)).toBeGreaterThan(0);
    expect(count(regions, `fill="${REGION_COLORS[1]}"`)).toBeGreaterThan(0);
  });
});

describe('for a training run: validation curves, log axes, several classes, test points', () => {
  test('a validation curve is a second line in its own color, with a legend', async () => {
    const svg = await plotCostCurve([0.7, 0.5, 0.4], { every: 1, unit: 'epochs', validation: [0.72, 0.6, 0.55] });
    const lines = [...svg.matchAll(/<g class="mark-line role-mark[^"]*"[^>]*>(.*?)<\/g>/gs)].map((m) => m[1]);
    expect(lines.map((g) => /stroke="(#[0-9a-f]{6})"/.exec(g)![1]).sort()).toEqual(['#1f77b4', '#ff7f0e']);
    lines.forEach((g) => expect(vertices(pathData(g)[0])).toHaveLength(3));
    expect(texts(svg)).toEqual(expect.arrayContaining(['training', 'validation', 'epochs']));
    expect(() => costCurveSpec([0.7, 0.5], { validation: [0.7] })).toThrow(
      'costCurveSpec: options.validation must hold one cost per cost (2); received 1');
    expect(() => costCurveSpec([0.7, 0.5], { validation: [0.7, NaN] })).not.toThrow();
  });

  test("scale 'auto' is logarithmic when the costs span a factor of 10, linear otherwise; 'log' needs positive costs", async () => {
    const yScale = (spec: unknown) => (spec as { encoding: { y: { scale: { type?: string }; title: string } } }).encoding.y;
    expect(yScale(costCurveSpec([2, 0.5, 0.05], { scale: 'auto' }))).toMatchObject({ scale: { type: 'log' }, title: 'cost (log scale)' });
    expect(yScale(costCurveSpec([2, 0.5, 0.25], { scale: 'auto' })).scale.type).toBeUndefined();
    expect(yScale(costCurveSpec([0.7, 0.5, 0.25], { scale: 'auto', validation: [0.7, 0.2, 0.06] })).scale.type).toBe('log');
    expect(yScale(costCurveSpec([2, 0.5, 0.05])).scale.type).toBeUndefined();   // the course's figure stays linear
    expect(() => costCurveSpec([0.5, 0], { scale: 'log' })).toThrow("costCurveSpec: options.scale 'log' needs positive costs; the smallest finite cost is 0");
    expect(() => costCurveSpec([0.5], { scale: 'ln' as never })).toThrow("costCurveSpec: options.scale must be 'linear', 'log' or 'auto'");
    // Ticks of a log axis are powers of ten.
    const svg = await plotCostCurve([3, 0.3, 0.03, 0.003], { scale: 'auto' });
    expect(texts(svg)).toEqual(expect.arrayContaining(['0.01', '0.1', '1']));
  });

  test('three classes: regions and points in three colors, predictions 0..2', async () => {
    // Classes by the sign of x1 and x2: 0 left, 1 lower right, 2 upper right.
    const sector = (G: Matrix): Matrix => {
      const n = G.shape[1];
      const p = new Float64Array(n);
      for (let i = 0; i < n; i++) p[i] = G.data[i] < 0 ? 0 : G.data[n + i] < 0 ? 1 : 2;
      return { shape: [1, n], data: p };
    };
    const Y3 = sector(X);
    const svg = await plotDecisionBoundary(sector, X, Y3, { resolution: 20 });
    const regions = markGroup(svg, 'mark-rect role-mark');
    const points = markGroup(svg, 'mark-symbol role-mark');
    const colors = classColors(3);
    colors.regions.forEach((c) => expect(count(regions, `fill="${c}"`)).toBeGreaterThan(0));
    Array.from(Y3.data).forEach((k) => expect(points).toContain(`fill="${colors.points[k]}"`));
    expect(new Set(colors.points).size).toBe(3);
  });

  test('test points are drawn as triangles on top of the training points, and the grid covers them', async () => {
    const { predict, calls } = linearClassifier();
    const test = { X: matrix([[4, -0.5], [3, 0.5]]), Y: matrix([[1, 0]]) };
    const spec = decisionBoundarySpec(predict, X, Y, { resolution: 10, test }) as { layer: { data: { values: { set?: string }[] } }[] };
    expect(spec.layer[1].data.values.map((v) => v.set)).toEqual([...Array(8).fill('training'), 'test', 'test']);
    expect(Math.max(...calls[0].data.subarray(0, 100))).toBeGreaterThan(4);   // x1 reaches the test point at 4
    const svg = await plotDecisionBoundary(predict, X, Y, { resolution: 10, test });
    expect(count(markGroup(svg, 'mark-symbol role-mark'), '<path')).toBe(10);
    expect(texts(svg)).toEqual(expect.arrayContaining(['training', 'test']));
    await expect(plotDecisionBoundary(predict, X, Y, { test: { X: matrix([[1]]), Y: matrix([[0]]) } }))
      .rejects.toThrow('plotDecisionBoundary: options.test.X.shape must be (2, any)');
  });
});

describe('PNG', () => {
  /** Width and height from the IHDR chunk, after checking the PNG signature. */
  function pngSize(png: Buffer): [number, number] {
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.toString('latin1', 12, 16)).toBe('IHDR');
    return [png.readUInt32BE(16), png.readUInt32BE(20)];
  }

  test('a PNG of the requested width, keeping the aspect ratio', async () => {
    const svg = await plotDataset(X, Y);
    const [w, h] = /width="(\d+)" height="(\d+)"/.exec(svg)!.slice(1).map(Number);
    expect(pngSize(svgToPng(svg))).toEqual([w, h]);
    expect(pngSize(svgToPng(svg, { width: 2 * w }))).toEqual([2 * w, 2 * h]);
  });

  test('text is drawn with the packaged font', () => {
    const page = (body: string) => `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40">${body}</svg>`;
    const blank = svgToPng(page(''));
    const text = svgToPng(page('<text x="5" y="30" font-family="DejaVu Sans, sans-serif" font-size="20">cost</text>'));
    const generic = svgToPng(page('<text x="5" y="30" font-family="sans-serif" font-size="20">cost</text>'));
    expect(text.equals(blank)).toBe(false);
    expect(generic.equals(text)).toBe(true);
  });
});

describe('bad input', () => {
  test('X must be (2, m) and Y (1, m) of class labels', async () => {
    await expect(plotDataset(matrix([[1, 2], [3, 4], [5, 6]]), matrix([[0, 1]])))
      .rejects.toThrow(new RangeError('plotDataset: X.shape must be (2, any) (two features per example, one example per column); received (3, 2)'));
    await expect(plotDataset(X, matrix([[0, 1, 1]])))
      .rejects.toThrow(/^plotDataset: Y\.shape must be \(1, 8\) \(one label per example: X has m = 8 columns\); received \(1, 3\)$/);
    await expect(plotDataset(X, matrix([[0, 2.5, 1, 1, 0, 0, 1, 1]])))
      .rejects.toThrow('plotDataset: Y must hold class labels 0..9 (0/1 for two classes); received 2.5 at [0, 1]');
    await expect(plotDataset(X, matrix([[0, 10, 1, 1, 0, 0, 1, 1]]))).rejects.toThrow('received 10 at [0, 1]');
    expect(() => datasetSpec([[1, 2]] as unknown as Matrix, Y)).toThrow(TypeError);
    await expect(plotDecisionBoundary(linearClassifier().predict, matrix([[1, 2, 3]]), matrix([[0, 1, 0]])))
      .rejects.toThrow(/^plotDecisionBoundary: X\.shape must be \(2, any\).*received \(1, 3\)$/);
  });

  test('costs: empty, all non-finite, not numbers', () => {
    expect(() => costCurveSpec([])).toThrow(new RangeError('costCurveSpec: costs must hold at least one cost; received an empty array'));
    expect(() => costCurveSpec([NaN, Infinity])).toThrow(
      'costCurveSpec: costs must hold at least one finite cost; received 2 non-finite (NaN at iteration 0, Infinity at iteration 100)');
    expect(() => costCurveSpec([0.5, '0.4' as unknown as number])).toThrow('costCurveSpec: costs[1] must be a number; received the string "0.4"');
    expect(() => costCurveSpec('0.5,0.4' as unknown as number[])).toThrow(/costs must be an array of numbers \(or a Float64Array\)/);
    // A Model's History.costs is a Float64Array: accepted as it is.
    expect((costCurveSpec(new Float64Array([0.7, 0.5]), { every: 1 }) as { data: { values: unknown[] } }).data.values)
      .toEqual([{ iteration: 0, cost: 0.7 }, { iteration: 1, cost: 0.5 }]);
  });

  test('options are checked', async () => {
    expect(() => costCurveSpec([1], { every: 0 })).toThrow('costCurveSpec: options.every must be a finite positive number; received 0');
    expect(() => costCurveSpec([1], { learningrate: 0.1 } as never)).toThrow(/costCurveSpec: unknown option 'learningrate'/);
    await expect(plotDecisionBoundary(linearClassifier().predict, X, Y, { resolution: 1 }))
      .rejects.toThrow('plotDecisionBoundary: options.resolution must be an integer in [2, 1000]; received 1');
    expect(() => decisionBoundarySpec(linearClassifier().predict, X, Y, { margin: { fraction: -1 } }))
      .toThrow('decisionBoundarySpec: options.margin.fraction must be a finite positive number; received -1');
    expect(() => decisionBoundarySpec(linearClassifier().predict, X, Y, { margin: '10%' as never }))
      .toThrow(/options\.margin must be a positive number or \{ fraction: positive number \}/);
  });

  test('predict must be a function returning (1, N) of classes', async () => {
    const grid = 20 * 20;
    const returning = (f: (n: number) => Matrix) => (G: Matrix) => f(G.shape[1]);
    await expect(plotDecisionBoundary(returning((n) => ({ shape: [2, n / 2], data: new Float64Array(n) })), X, Y, { resolution: 20 }))
      .rejects.toThrow(`plotDecisionBoundary: predict(grid).shape must be (1, ${grid}) (one prediction per column of the (2, ${grid}) grid); received (2, ${grid / 2})`);
    await expect(plotDecisionBoundary(returning((n) => ({ shape: [1, n], data: new Float64Array(n).fill(0.7) })), X, Y, { resolution: 20 }))
      .rejects.toThrow('plotDecisionBoundary: predict(grid) must hold class labels 0..9 (0/1 for two classes) (threshold probabilities, ' +
        'e.g. AL > 0.5, or take the classes of a softmax); received 0.7 at [0, 0]');
    await expect(plotDecisionBoundary(returning(() => [1, 0] as unknown as Matrix), X, Y))
      .rejects.toThrow(/plotDecisionBoundary: predict\(grid\) must be a Matrix/);
    expect(() => decisionBoundarySpec(undefined as never, X, Y))
      .toThrow('decisionBoundarySpec: predict must be a function (X: Matrix) => Matrix; received undefined');
  });

  test('svgToPng needs an SVG document', () => {
    expect(() => svgToPng('<html></html>')).toThrow(/^svgToPng: svg must be an SVG document; resvg could not parse it/);
    expect(() => svgToPng(42 as unknown as string)).toThrow('svgToPng: svg must be an SVG document string; received the number 42');
    expect(() => svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', { width: 0 }))
      .toThrow('svgToPng: options.width must be an integer in [1, 16384]; received 0');
  });
});
