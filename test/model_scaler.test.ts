// A scaler attached to a Model: fitted by fit's `scaler` option on the
// training examples only, applied to every X of fit, predict, predictProba and
// evaluate in both layouts, saved in the model file and restored by load.
// Each check compares against the same training done by hand on X scaled
// with standardScaler/minMaxScaler, bit for bit.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  fromRows, loadCsv, Matrix, minMaxScaler, Model, ModelOptions, Scaler, standardScaler, toRows, trainTestSplit,
} from '../lib';
import { decode, encode } from '../lib/io/safetensors';
import { expectBitExact, DATASETS } from './helpers/golden';

const cancer = loadCsv(path.join(DATASETS, 'breast_cancer.csv'));   // X (30, 569): features from 0.001 to 4254
const { train, test: held } = trainTestSplit(cancer.X, cancer.Y, { testSize: 0.25, stratify: true, seed: 0 });
const settings: ModelOptions = { layers: [30, 8, 1], init: 'he', seed: 1 };
const fitOptions = { learningRate: 0.01, optimizer: 'adam' as const, batchSize: 32, epochs: 30, shuffleSeed: 3 };

let dir: string;
beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deepnet-scaler-')); });
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function sameParameters(a: Model, b: Model): void {
  const [p, q] = [a.getParameters(), b.getParameters()];
  for (const k of Object.keys(p)) expectBitExact(p[k], q[k], k);
}

/** The first `n` columns of X. */
function firstColumns(X: Matrix, n: number): Matrix {
  const [rows, m] = X.shape;
  const data = new Float64Array(rows * n);
  for (let r = 0; r < rows; r++) data.set(X.data.subarray(r * m, r * m + n), r * n);
  return { shape: [rows, n], data };
}

describe("fit's scaler option", () => {
  test("'standard': the statistics of the training examples (not the validation split's), the same training as on X scaled by hand", () => {
    const auto = new Model(settings);
    const history = auto.fitSync(train.X, train.Y, { ...fitOptions, validationSplit: 0.2, scaler: 'standard' });
    // validationSplit holds out the last 20%: the scaler saw only the first 80%.
    const fitted = Math.floor(train.X.shape[1] * 0.8);
    const byHand = standardScaler().fit(firstColumns(train.X, fitted));
    expect(auto.scaler?.toJSON()).toEqual(byHand.toJSON());
    expect(auto.scaler?.toJSON()).not.toEqual(standardScaler().fit(train.X).toJSON());

    const manual = new Model(settings);
    const manualHistory = manual.fitSync(byHand.transform(train.X), train.Y, { ...fitOptions, validationSplit: 0.2 });
    expectBitExact(history.costs, manualHistory.costs, 'costs');
    expectBitExact(history.validationCosts!, manualHistory.validationCosts!, 'validation costs');
    sameParameters(auto, manual);
    // predict, predictProba and evaluate take raw X and scale it.
    const Xs = byHand.transform(held.X);
    expectBitExact(auto.predictProba(held.X), manual.predictProba(Xs), 'predictProba');
    expectBitExact(auto.predict(held.X), manual.predict(Xs), 'predict');
    expect(auto.evaluate(held.X, held.Y)).toEqual(manual.evaluate(Xs, held.Y));
    // Scaling is what makes this data learnable in 30 epochs.
    expect(auto.evaluate(held.X, held.Y).accuracy).toBeGreaterThan(0.95);
    const unscaled = new Model(settings);
    unscaled.fitSync(train.X, train.Y, fitOptions);
    expect(unscaled.evaluate(held.X, held.Y).accuracy).toBeLessThan(auto.evaluate(held.X, held.Y).accuracy);
  });

  test("layout 'rows': the same statistics and bits as columns", () => {
    const cols = new Model(settings);
    const rows = new Model(settings);
    const hc = cols.fitSync(train.X, train.Y, { ...fitOptions, scaler: 'minmax' });
    const hr = rows.fitSync(toRows(train.X), toRows(train.Y), { ...fitOptions, scaler: 'minmax', layout: 'rows' });
    expect(rows.scaler?.toJSON()).toEqual(cols.scaler?.toJSON());
    expect(cols.scaler?.toJSON()).toEqual(minMaxScaler().fit(train.X).toJSON());
    expectBitExact(hr.costs, hc.costs, 'costs');
    sameParameters(cols, rows);
    expectBitExact(rows.predictProba(toRows(held.X), { layout: 'rows' }), toRows(cols.predictProba(held.X)), 'predictProba');
    expect(rows.evaluate(toRows(held.X), toRows(held.Y), { layout: 'rows' })).toEqual(cols.evaluate(held.X, held.Y));
  });

  test('an unfitted Scaler is fitted on the training examples; a fitted one is used as it is; explicit validation data is scaled too', async () => {
    const unfitted = minMaxScaler({ featureRange: [-1, 1] });
    const a = new Model(settings);
    const ha = await a.fit(train.X, train.Y, { ...fitOptions, scaler: unfitted, validation: held });
    expect(unfitted.toJSON()).toEqual(minMaxScaler({ featureRange: [-1, 1] }).fit(train.X).toJSON());
    expect(a.scaler?.toJSON()).toEqual(unfitted.toJSON());

    const fitted = standardScaler().fit(cancer.X);   // fitted elsewhere (here on all examples)
    const b = new Model(settings);
    const hb = await b.fit(train.X, train.Y, { ...fitOptions, scaler: fitted, validation: held });
    expect(b.scaler?.toJSON()).toEqual(fitted.toJSON());
    const manual = new Model(settings);
    const hm = manual.fitSync(fitted.transform(train.X), train.Y, { ...fitOptions, validation: { X: fitted.transform(held.X), Y: held.Y } });
    expectBitExact(hb.validationCosts!, hm.validationCosts!, 'validation costs');
    sameParameters(b, manual);
    expect(ha.validationCosts![ha.epochs - 1]).toBeLessThan(0.3);
  });

  test('a later fit without the option keeps the attached scaler; with it, fits a new one', () => {
    const model = new Model(settings);
    model.fitSync(train.X, train.Y, { ...fitOptions, epochs: 5, scaler: 'standard' });
    const first = model.scaler!.toJSON();
    model.fitSync(held.X, held.Y, { ...fitOptions, epochs: 5 });
    expect(model.scaler!.toJSON()).toEqual(first);
    model.fitSync(held.X, held.Y, { ...fitOptions, epochs: 5, scaler: 'standard' });
    expect(model.scaler!.toJSON()).toEqual(standardScaler().fit(held.X).toJSON());
  });

  test('bad scaler options are refused before training, naming the option', () => {
    const model = new Model(settings);
    expect(() => model.fitSync(train.X, train.Y, { scaler: 'robust' as never })).toThrow(
      "Model.fitSync: scaler must be 'standard', 'minmax' or a Scaler (standardScaler(), minMaxScaler(...)); received the string \"robust\"");
    expect(() => model.fitSync(train.X, train.Y, { scaler: standardScaler().fit(fromRows([[1, 2], [3, 4]])) })).toThrow(
      "Model.fitSync: scaler was fitted on 2 features but the model's input layer has 30");
    expect(model.epochsTrained).toBe(0);
    expect(model.scaler).toBeNull();
  });
});

describe('setScaler and the scaler getter', () => {
  test('the model keeps its own copy: refitting the caller\'s scaler or the returned one changes nothing', () => {
    const scaler = standardScaler().fit(train.X);
    const model = new Model(settings);
    model.setScaler(scaler);
    const saved = scaler.toJSON();
    scaler.fit(held.X);
    expect(model.scaler?.toJSON()).toEqual(saved);
    model.scaler!.fit(held.X);
    expect(model.scaler?.toJSON()).toEqual(saved);
    expect(model.summary()).toMatch(/inputs scaled by standardScaler$/);
    model.setScaler(null);
    expect(model.scaler).toBeNull();
  });

  test('errors: an unfitted scaler, the wrong number of features, not a scaler', () => {
    const model = new Model(settings);
    expect(() => model.setScaler(standardScaler())).toThrow('Model.setScaler: scaler is not fitted: call fit(Xtrain) first');
    expect(() => model.setScaler(minMaxScaler().fit(fromRows([[1, 2]])))).toThrow(
      "Model.setScaler: scaler was fitted on 2 features but the model's input layer has 30");
    expect(() => model.setScaler({ mean: [1] } as unknown as Scaler)).toThrow(
      'Model.setScaler: scaler must be a fitted Scaler (standardScaler().fit(X), ...); received an object');
  });
});

describe('model files', () => {
  test('the scaler is saved in the header as JSON and restored by load: the same predictions from raw X', () => {
    const model = new Model(settings);
    model.fitSync(train.X, train.Y, { ...fitOptions, scaler: 'standard' });
    const file = path.join(dir, 'cancer.safetensors');
    model.save(file);
    const header = decode(fs.readFileSync(file), file).metadata;
    expect(JSON.parse(header.scaler)).toEqual(model.scaler!.toJSON());
    const loaded = Model.load(file);
    expect(loaded.scaler?.toJSON()).toEqual(model.scaler!.toJSON());
    expectBitExact(loaded.predictProba(held.X), model.predictProba(held.X), 'predictProba');
    expect(loaded.evaluate(held.X, held.Y)).toEqual(model.evaluate(held.X, held.Y));
  });

  test('checkpoints carry the scaler; files without one load with none', () => {
    const file = path.join(dir, 'checkpoint.safetensors');
    const model = new Model(settings);
    model.fitSync(train.X, train.Y, { ...fitOptions, epochs: 10, logEvery: 5, checkpoint: { path: file, every: 5 }, scaler: 'minmax' });
    expect(Model.load(file).scaler?.toJSON()).toEqual(minMaxScaler().fit(train.X).toJSON());
    const plain = path.join(dir, 'plain.safetensors');
    new Model(settings).save(plain);
    expect(Model.load(plain).scaler).toBeNull();
  });

  test('a bad scaler header is refused with the file and the field named', () => {
    const model = new Model(settings);
    model.setScaler(standardScaler().fit(train.X));
    const file = path.join(dir, 'good.safetensors');
    model.save(file);
    const { metadata, tensors } = decode(fs.readFileSync(file), file);
    const rewrite = (name: string, scaler: string) => {
      const out = path.join(dir, name);
      fs.writeFileSync(out, encode([...tensors.entries()], { ...metadata, scaler }));
      return out;
    };
    const narrow = rewrite('narrow.safetensors', JSON.stringify(standardScaler().fit(fromRows([[1, 2], [3, 5]])).toJSON()));
    expect(() => Model.load(narrow)).toThrow(`Model.load: ${narrow}: header field scaler holds 2 features but layers [30,8,1] take 30`);
    const robust = rewrite('robust.safetensors', '{"type":"robust"}');
    expect(() => Model.load(robust)).toThrow(
      `Model.load: ${robust}: header field scaler is not a valid scaler: json.type must be 'standardScaler' or 'minMaxScaler'; received the string "robust"`);
    const text = rewrite('text.safetensors', 'standard');
    expect(() => Model.load(text)).toThrow(`Model.load: ${text}: header field scaler is not JSON: "standard"`);
  });
});
