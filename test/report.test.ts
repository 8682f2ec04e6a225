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
