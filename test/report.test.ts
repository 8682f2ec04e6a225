// deepnet demo, the main job: its report opens in headless Chromium (see
// helpers/browser: CHROMIUM_PATH, a system chromium, or the npm one) with
// every figure rendered.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromium } from 'playwright-core';
import { findBrowser } from './helpers/browser';
import { SHARED } from './helpers/golden';

test('deepnet demo writes a report whose figures all render in a browser', async () => {
  const browserBinary = findBrowser();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deepnet-demo-'));
  try {
    const run = spawnSync(process.execPath, [path.resolve(__dirname, '..', 'bin', 'deepnet.js'), 'demo', '--json'],
      { cwd: dir, encoding: 'utf8', env: { ...process.env, DEEPNET_SHARED: SHARED } });
    expect(run.status).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.report).toBe(path.join('deepnet-report', 'index.html'));
    expect(summary.experiments).toHaveLength(13);
    expect(summary.gradientChecks.map((c: { passed: boolean }) => c.passed)).toEqual([true, false]);
    const byId = Object.fromEntries(summary.experiments.map((e: { id: string }) => [e.id, e]));
    expect(byId['init-zeros']).toMatchObject({ trainAccuracy: 0.5, testAccuracy: 0.5 });
    expect(byId['init-he'].trainAccuracy).toBeGreaterThan(0.95);
    // The Optimization notebook's printed accuracies (5000 epochs; with schedule_lr_decay).
    expect([byId['opt-gd'], byId['opt-momentum'], byId['opt-adam']].map((r) => r.trainAccuracy))
      .toEqual([0.7166666666666667, 0.7166666666666667, 0.9433333333333334]);
    expect([byId['opt-gd-decay'], byId['opt-momentum-decay'], byId['opt-adam-decay']].map((r) => r.trainAccuracy))
      .toEqual([0.9433333333333334, 0.9533333333333334, 0.94]);
    expect(summary.multiClass.testAccuracy).toBeGreaterThan(0.95);
    expect(summary.regression.testR2).toBeGreaterThan(0.9);

    const browser = await chromium.launch({ executablePath: browserBinary.executablePath, args: browserBinary.args });
    try {
      const page = await browser.newPage();
      await page.goto(`file://${path.join(dir, 'deepnet-report', 'index.html')}`);
      await page.waitForLoadState('load');
      const images = await page.$$eval('img', (els) => els.map((e) => ({ src: e.getAttribute('src'), ok: e.complete && e.naturalWidth > 0 && e.naturalHeight > 0 })));
      expect(images).toHaveLength(summary.figures);
      expect(images.length).toBe(32);
      expect(images.filter((i) => !i.ok)).toEqual([]);
      expect(await page.$$eval('#results tr', (rows) => rows.length)).toBe(16);  // header + 13 experiments + digits + regression
      expect(await page.$$eval('#per-class tr', (rows) => rows.length)).toBe(11);  // header + 10 classes
    } finally {
      await browser.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe('deepnet train --report: one self-contained page for the user\'s own run', () => {
  const bin = path.resolve(__dirname, '..', 'bin', 'deepnet.js');
  let dir: string;
  beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deepnet-run-report-')); });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  function train(report: string, ...args: string[]) {
    const run = spawnSync(process.execPath, [bin, 'train', ...args, '--report', report, '--json'], { cwd: dir, encoding: 'utf8' });
    expect(run.status).toBe(0);
    return JSON.parse(run.stdout.trim().split('\n').pop()!);
  }

  /** The page in Chromium: what it requested, and per figure its SVG's rendered width and texts. */
  async function open(report: string) {
    const browserBinary = findBrowser();
    const browser = await chromium.launch({ executablePath: browserBinary.executablePath, args: browserBinary.args });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(`file://${path.join(dir, report, 'index.html')}`);
      await page.waitForLoadState('load');
      const figures = await page.$$eval('figure', (els) => els.map((f) => {
        const svg = f.querySelector('svg');
        return { id: f.id, width: svg ? svg.getBoundingClientRect().width : 0, texts: Array.from(f.querySelectorAll('text'), (t) => (t as { textContent: string | null }).textContent),
          points: f.querySelectorAll('.mark-symbol.role-mark path').length };
      }));
      const scores = await page.$$eval('#scores tr', (rows) => rows.map((r) => Array.from(r.children, (c) => (c as { textContent: string | null }).textContent)));
      return { requests, figures, scores, images: await page.$$eval('img', (els) => els.length) };
    } finally {
      await browser.close();
    }
  }

  test('digits (softmax, validation split): wide cost curves on a log axis, a confusion matrix, nothing loaded from elsewhere', async () => {
    const done = train('digits', '--data', path.join(SHARED, 'datasets', 'digits.csv'), '--output', 'softmax', '--hidden', '32',
      '--scaler', 'minmax', '--optimizer', 'adam', '--learning-rate', '0.01', '--batch-size', '32', '--epochs', '40', '--validation-split', '0.2');
    const page = await open('digits');
    expect(page.requests).toEqual([`file://${path.join(dir, 'digits', 'index.html')}`]);
    expect(page.images).toBe(0);
    expect(page.figures.map((f) => f.id)).toEqual(['cost', 'confusion']);
    const cost = page.figures[0];
    expect(cost.width).toBeGreaterThan(800);
    expect(cost.texts).toEqual(expect.arrayContaining(['cost (log scale)', 'training', 'validation', 'epochs']));
    expect(page.scores.map((r) => r[0])).toEqual(['set', 'training', 'validation']);
    expect(Number(page.scores[2][4])).toBeCloseTo(done.validationAccuracy, 4);
    expect(page.figures[1].texts).toEqual(expect.arrayContaining(['predicted class', 'true class']));
  });

  test('moons (2-D, a test set): the decision boundary with every training and test point', async () => {
    const done = train('moons', '--dataset', 'moons', '--layers', '2,8,1', '--optimizer', 'adam', '--learning-rate', '0.01',
      '--batch-size', '32', '--epochs', '100');
    const page = await open('moons');
    expect(page.figures.map((f) => f.id)).toEqual(['cost', 'confusion', 'boundary']);
    const boundary = page.figures[2];
    expect(boundary.points).toBe(300 + 300);
    expect(boundary.width).toBeGreaterThan(700);
    expect(boundary.texts).toEqual(expect.arrayContaining(['training', 'test']));
    expect(page.scores.slice(1).map((r) => [r[0], Number(r[4])])).toEqual([['training', done.trainAccuracy], ['test', done.testAccuracy]]
      .map(([n, a]) => [n, Number((a as number).toFixed(4))]));
  });
});
