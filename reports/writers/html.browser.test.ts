/**
 * The report page in a real browser (headless Chromium via playwright-core): matrices visible,
 * filters work, failures expand to their evidence, and hostile strings from targets are shown as
 * text and never run. Skipped only on a machine without /usr/bin/chromium outside CI; in CI (CI set)
 * a missing browser fails the test.
 */
import { existsSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { htmlPayload, sampleMetadata, sampleResults, scriptPayload } from '../fixtures/sample-results.ts';
import { openResultsStream } from '../results-stream.ts';
import { renderJunit } from './junit.ts';

const executablePath = '/usr/bin/chromium';
const browserMissing = !existsSync(executablePath);
const skip = browserMissing && !process.env.CI;
const screenshotFile = join(dirname(fileURLToPath(import.meta.url)), '..', 'examples', 'report.png');

describe.skipIf(skip)(`report page in headless Chromium${skip ? ` — SKIPPED: ${executablePath} is missing (install Debian chromium; CI never skips)` : ''}`, () => {
  let browser: Browser;
  let page: Page;
  let outDir: string;
  const dialogs: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    // A report as a run writes it: records streamed one by one, then finish renders every format.
    outDir = mkdtempSync(join(tmpdir(), 'xvc-report-browser-'));
    const { recordsSha256: _hash, partial: _partial, ...metadata } = sampleMetadata();
    const stream = openResultsStream(outDir, metadata);
    const sample = sampleResults();
    for (const record of sample.records) stream.append(record);
    await stream.finish({ ...(sample.mechanismMatrix !== undefined && { mechanismMatrix: sample.mechanismMatrix }), finishedAt: '2026-11-24T08:00:09.500Z' });

    browser = await chromium.launch({
      executablePath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // Any request leaving the page (an <img src=x> that got parsed, a fetch) would show up here.
    await context.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
    page = await context.newPage();
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // Browser-side code is passed as text: the project compiles without the DOM library.
    await page.addInitScript({
      content: `
        window.__xvcAlerts = [];
        window.__xvcViolations = [];
        window.alert = (message) => { window.__xvcAlerts.push(String(message)); };
        document.addEventListener('securitypolicyviolation', (event) => window.__xvcViolations.push(event.violatedDirective + ' ' + event.blockedURI));
      `,
    });
    await page.goto(pathToFileURL(join(outDir, 'report.html')).href);
    await page.waitForSelector('html[data-ready="true"]', { timeout: 15_000 });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it('shows the verdict and both matrices', async () => {
    await expect(page.locator('#verdict .headline').textContent()).resolves.toContain('harness error');
    expect(await page.locator('#req-matrix').isVisible()).toBe(true);
    expect(await page.locator('#mech-matrix').isVisible()).toBe(true);
    expect(await page.locator('#req-matrix tbody tr').count()).toBe(8);
    expect(await page.locator('#mech-matrix tbody tr').count()).toBe(3);
    await expect(page.locator('#mech-matrix tr[data-mechanism="dom0-default"] .badge').first().textContent()).resolves.toBe('fail');
  });

  it('filters what is shown by outcome and by level', async () => {
    const visibleRecords = () => page.locator('details.record:visible').count();
    expect(await visibleRecords()).toBe(10);
    await page.selectOption('#filter-outcome', 'fail');
    expect(await visibleRecords()).toBe(3);
    expect(await page.locator('#req-matrix tbody tr:visible').count()).toBe(3);
    await expect(page.locator('#shown-count').textContent()).resolves.toBe('3 of 10 results shown');
    await page.selectOption('#filter-level', 'MUST NOT');
    expect(await visibleRecords()).toBe(1);
    await page.selectOption('#filter-outcome', '');
    await page.selectOption('#filter-level', '');
    expect(await visibleRecords()).toBe(10);
  });

  it('expands a failure to its bytes with the offending offsets highlighted', async () => {
    const record = page.locator('details.record[data-requirement="PCI-DEV-02"]');
    expect(await record.locator('table.hex').isVisible()).toBe(false);
    await record.locator('summary').click();
    expect(await record.locator('table.hex').isVisible()).toBe(true);
    expect(await record.locator('table.hex td.hl').allTextContents()).toEqual(['86', '80']);
  });

  it('expands a counterexample to its scenario and replay command, also from the matrix cell', async () => {
    const record = page.locator('details.record[data-requirement="XEN-INV-03"]');
    await record.locator('summary').click();
    await expect(record.locator('.replay-cmd').textContent()).resolves.toContain('xvc replay --target model:linux-6.2');
    await page.locator('#mech-matrix a.cx-link').first().click();
    expect(await page.locator('#mechanisms details.cx[open] pre.scenario').first().isVisible()).toBe(true);
  });

  it('shows hostile target strings as text and runs none of them', async () => {
    const text = (await page.locator('#app').textContent()) ?? '';
    expect(text).toContain(`EvilNIC ${htmlPayload}`);
    expect(text).toContain(`captured on a lab box ${scriptPayload}`);
    expect(text).toContain(`adapter replied with malformed JSON: ${scriptPayload}`);
    const state = await page.evaluate(`({
      alerts: window.__xvcAlerts,
      violations: window.__xvcViolations,
      pwned: window.__xvcPwned ?? null,
      images: document.querySelectorAll('img').length,
      scripts: document.querySelectorAll('script').length,
    })`);
    expect(state).toEqual({ alerts: [], violations: [], pwned: null, images: 0, scripts: 2 });
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('parses the JUnit XML of the same run as well-formed XML', async () => {
    const xml = renderJunit(sampleResults());
    const parsed = (await page.evaluate(`(() => {
      const parsedXml = new DOMParser().parseFromString(${JSON.stringify(xml)}, 'application/xml');
      return { errors: parsedXml.getElementsByTagName('parsererror').length, cases: parsedXml.getElementsByTagName('testcase').length };
    })()`)) as { errors: number; cases: number };
    expect(parsed.errors).toBe(0);
    expect(parsed.cases).toBeGreaterThan(5);
  });

  it('keeps a screenshot of the page', async () => {
    await page.selectOption('#filter-outcome', '');
    await page.evaluate('window.scrollTo(0, 0)');
    mkdirSync(dirname(screenshotFile), { recursive: true });
    await page.screenshot({ path: screenshotFile, fullPage: true });
    expect(existsSync(screenshotFile)).toBe(true);
  });
});
