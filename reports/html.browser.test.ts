/**
 * The report page in a real browser (headless Chromium via playwright-core): matrices visible,
 * filters work, failures expand to their evidence, and hostile strings from targets are shown as
 * text and never run. Skipped only on a machine without /usr/bin/chromium outside CI; in CI (CI set)
 * a missing browser fails the test.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { htmlPayload, sampleMetadata, sampleResults, scriptPayload } from '../test-support/sample-results.ts';
import { openResultsStream } from '../results/results-stream.ts';
import { qemuAllSizedResults } from '../test-support/large-results.ts';
import { renderJunit } from './junit.ts';
import { renderHtml } from './html.ts';
import { writeReports } from './index.ts';
import { writeFileSync } from 'node:fs';

const executablePath = '/usr/bin/chromium';
const browserMissing = !existsSync(executablePath);
const skip = browserMissing && !process.env.CI;
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
// The committed screenshots under reports/examples/ are refreshed only on request
// (XVC_UPDATE_SCREENSHOTS=1), so that running the tests leaves the work tree clean.
const screenshotDir = process.env.XVC_UPDATE_SCREENSHOTS === '1' ? join(repoRoot, 'reports', 'examples') : mkdtempSync(join(tmpdir(), 'xvc-screenshots-'));
const screenshotFile = join(screenshotDir, 'report.png');
const fixtureScreenshotFile = join(screenshotDir, 'report-fixture.png');

/** A PNG starts with these eight bytes. */
function isPng(file: string): boolean {
  return readFileSync(file).subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
}

/** Payloads the hostile adapter (fixtures/adapters/hostile-report-adapter.mjs) sends. */
const adapterHtml = '<img src=x onerror=alert(1)>';
const adapterScript = '</script><script>window.__xvcPwned=1</script>';

// Hooks installed before the page's own script: any alert, CSP violation or payload flag is recorded.
const watchScript = `
  window.__xvcAlerts = [];
  window.__xvcViolations = [];
  window.alert = (message) => { window.__xvcAlerts.push(String(message)); };
  document.addEventListener('securitypolicyviolation', (event) => window.__xvcViolations.push(event.violatedDirective + ' ' + event.blockedURI));
`;
const stateScript = `({
  alerts: window.__xvcAlerts,
  violations: window.__xvcViolations,
  pwned: window.__xvcPwned ?? null,
  images: document.querySelectorAll('img').length,
  scripts: document.querySelectorAll('script').length,
})`;

/** A page showing `file`, with every dialog, page error and outside request recorded. */
async function openReport(browser: Browser, file: string): Promise<{ context: BrowserContext; page: Page; dialogs: string[]; pageErrors: string[]; requests: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const dialogs: string[] = [];
  const pageErrors: string[] = [];
  const requests: string[] = [];
  // Any request leaving the page (an <img src=x> that got parsed, a fetch) is recorded and refused.
  await context.route('**/*', (route) => {
    if (route.request().url() === pathToFileURL(file).href) return route.continue();
    requests.push(route.request().url());
    return route.abort();
  });
  const page = await context.newPage();
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  // Browser-side code is passed as text: it must run in the page before the page's own script.
  await page.addInitScript({ content: watchScript });
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 15_000 });
  return { context, page, dialogs, pageErrors, requests };
}

/** Opens a section of the page (a closed <details>) unless it is open already. */
async function openSection(page: Page, id: string): Promise<void> {
  if ((await page.locator(`#${id}`).getAttribute('open')) === null) await page.locator(`#${id} > summary`).click();
  // The section is built by its toggle event, a task after the click: wait for the page to say it is.
  await page.locator(`#${id}[data-built="true"]`).waitFor({ state: 'attached' });
}

/** Runs the real `xvc run` CLI; resolves with its exit code. */
function xvcRun(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(repoRoot, 'bin', 'xvc.js'), 'run', ...args], { cwd: repoRoot, timeout: 240_000, maxBuffer: 16 * 1024 * 1024 }, (error, _stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stderr });
    });
  });
}

describe.skipIf(skip)(`report page in headless Chromium${skip ? ` — SKIPPED: ${executablePath} is missing (install Debian chromium; CI never skips)` : ''}`, () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

describe('a report from a real xvc run against an adapter that sends HTML and script', () => {
  let outDir: string;
  let opened: Awaited<ReturnType<typeof openReport>>;

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'xvc-report-real-'));
    const run = await xvcRun(['--target', 'exec:node fixtures/adapters/hostile-report-adapter.mjs', '--suite', 'frontend', '--suite', 'mechanisms', '--out', outDir]);
    // The adapter answers some requests with errors: harness errors, exit 3.
    expect(run.code, run.stderr).toBe(3);
    opened = await openReport(browser, join(outDir, 'report.html'));
  }, 300_000);

  afterAll(async () => {
    await opened?.context.close();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it('shows both matrices and the adapter strings as text, running none of them', async () => {
    const { page } = opened;
    await openSection(page, 'requirements');
    await openSection(page, 'mechanisms');
    expect(await page.locator('#req-matrix').isVisible()).toBe(true);
    expect(await page.locator('#mech-matrix').isVisible()).toBe(true);
    expect(await page.locator('#mech-matrix tbody tr').count()).toBeGreaterThan(3);
    const text = (await page.locator('#app').textContent()) ?? '';
    expect(text).toContain(`Evil ${adapterHtml}`);
    expect(text).toContain(adapterScript);
    expect(await page.evaluate(stateScript)).toEqual({ alerts: [], violations: [], pwned: null, images: 0, scripts: 2 });
    expect(opened.dialogs).toEqual([]);
    expect(opened.pageErrors).toEqual([]);
    expect(opened.requests).toEqual([]);
  });

  it('filters by outcome and expands a harness error to the adapter message', async () => {
    const { page } = opened;
    const results = JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8')) as { records: { outcome: string }[] };
    const errors = results.records.filter((record) => record.outcome === 'error').length;
    expect(errors).toBeGreaterThan(0);
    // The errors are on the page as it opens, each with the adapter's message.
    expect(await page.locator('#failure-list details.record[data-outcome="error"]').count()).toBe(errors);
    await expect(page.locator('#failure-list details.record[data-outcome="error"] pre.message').first().textContent()).resolves.toContain(adapterHtml);
    await openSection(page, 'results');
    expect(await page.locator('#result-list details.record:visible').count()).toBe(results.records.length);
    await page.selectOption('#filter-outcome', 'error');
    expect(await page.locator('#result-list details.record:visible').count()).toBe(errors);
    const first = page.locator('#result-list details.record[data-outcome="error"]').first();
    await first.locator('summary').click();
    await expect(first.locator('pre.message').textContent()).resolves.toContain(adapterHtml);
    await page.selectOption('#filter-outcome', '');
  });

  it('keeps a screenshot of the page as it opens', async () => {
    const { page } = opened;
    await page.evaluate('window.scrollTo(0, 0)');
    mkdirSync(dirname(screenshotFile), { recursive: true });
    // What a reader sees first: the verdict and what failed.
    await page.screenshot({ path: screenshotFile });
    expect(existsSync(screenshotFile)).toBe(true);
    expect(isPng(screenshotFile)).toBe(true);
  });
});

describe('a report of every outcome and evidence kind, streamed record by record', () => {
  let page: Page;
  let outDir: string;
  let opened: Awaited<ReturnType<typeof openReport>>;
  let dialogs: string[];
  let pageErrors: string[];

  beforeAll(async () => {
    // A report as a run writes it: records streamed one by one, finished, then every format rendered.
    outDir = mkdtempSync(join(tmpdir(), 'xvc-report-browser-'));
    const { recordsSha256: _hash, partial: _partial, ...metadata } = sampleMetadata();
    const stream = openResultsStream(outDir, metadata, { replayFrom: outDir });
    const sample = sampleResults();
    for (const record of sample.records) stream.append(record);
    const results = await stream.finish({ ...(sample.mechanismMatrix !== undefined && { mechanismMatrix: sample.mechanismMatrix }), finishedAt: '2026-11-24T08:00:09.500Z' });
    writeReports(outDir, results);
    opened = await openReport(browser, join(outDir, 'report.html'));
    ({ page, dialogs, pageErrors } = opened);
  }, 60_000);

  afterAll(async () => {
    await opened?.context.close();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it('shows the verdict and both matrices', async () => {
    await expect(page.locator('#verdict .headline').textContent()).resolves.toContain('harness error');
    await openSection(page, 'requirements');
    await openSection(page, 'mechanisms');
    expect(await page.locator('#req-matrix').isVisible()).toBe(true);
    expect(await page.locator('#mech-matrix').isVisible()).toBe(true);
    expect(await page.locator('#req-matrix tbody tr').count()).toBe(8);
    expect(await page.locator('#mech-matrix tbody tr').count()).toBe(3);
    await expect(page.locator('#mech-matrix tr[data-mechanism="dom0-default"] .badge').first().textContent()).resolves.toBe('fail');
  });

  it('filters what is shown by outcome and by level', async () => {
    await openSection(page, 'results');
    const visibleRecords = () => page.locator('#result-list details.record:visible').count();
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

  it('opens on a failure with its bytes, the offending offsets highlighted', async () => {
    const record = page.locator('#failure-list details.record[data-requirement="PCI-DEV-02"]');
    expect(await record.locator('table.hex').isVisible()).toBe(true);
    expect(await record.locator('table.hex td.hl').allTextContents()).toEqual(['86', '80']);
  });

  it('shows a counterexample with its scenario and the replay command, also from the matrix cell', async () => {
    const record = page.locator('#failure-list details.record[data-requirement="XEN-INV-03"]');
    const shortId = await record.getAttribute('data-record');
    expect(shortId).toMatch(/^[0-9a-f]{10}$/);
    await expect(record.locator('.replay-cmd').textContent()).resolves.toBe(`xvc replay --from ${outDir} --record ${shortId}`);
    await openSection(page, 'mechanisms');
    await page.locator('#mech-matrix a.cx-link').first().click();
    expect(await page.locator('#mechanisms details.cx[open] pre.scenario').first().isVisible()).toBe(true);
  });

  it('shows hostile target strings as text and runs none of them', async () => {
    await openSection(page, 'provenance-section');
    const text = (await page.locator('#app').textContent()) ?? '';
    expect(text).toContain(`EvilNIC ${htmlPayload}`);
    expect(text).toContain(`captured on a lab box ${scriptPayload}`);
    expect(text).toContain(`adapter replied with malformed JSON: ${scriptPayload}`);
    const state = await page.evaluate(stateScript);
    expect(state).toEqual({ alerts: [], violations: [], pwned: null, images: 0, scripts: 2 });
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(opened.requests).toEqual([]);
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
    await page.evaluate('window.scrollTo(0, 0)');
    mkdirSync(dirname(screenshotFile), { recursive: true });
    await page.screenshot({ path: fixtureScreenshotFile, fullPage: true });
    expect(existsSync(fixtureScreenshotFile)).toBe(true);
    expect(isPng(fixtureScreenshotFile)).toBe(true);
  });
});

describe('a report the size of a qemu:all run', () => {
  let opened: Awaited<ReturnType<typeof openReport>>;
  let outDir: string;
  const results = qemuAllSizedResults();
  const unexpected = results.records.filter((record) => record.outcome === 'fail' || record.outcome === 'error' || record.outcome === 'xpass');

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'xvc-report-large-'));
    writeFileSync(join(outDir, 'report.html'), renderHtml(results));
    opened = await openReport(browser, join(outDir, 'report.html'));
  }, 60_000);

  afterAll(async () => {
    await opened?.context.close();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it('opens on what failed: the first failure in the first screen, each with its statement, condition and evidence', async () => {
    const { page } = opened;
    const measured = (await page.evaluate(`(() => {
      const first = document.querySelector('#failure-list details.record');
      return { height: document.documentElement.scrollHeight, firstTop: first.getBoundingClientRect().top + window.scrollY, viewport: window.innerHeight };
    })()`)) as { height: number; firstTop: number; viewport: number };
    // Printed for the record (the issue measured 157,000 px and failures 8,000 px down); not asserted.
    console.log(`qemu:all-sized report (${results.records.length} records): page ${measured.height} px, first failure at ${measured.firstTop} px`);
    expect(measured.firstTop).toBeLessThan(measured.viewport);
    const cards = page.locator('#failure-list details.record');
    expect(await cards.count()).toBe(unexpected.length);
    const failing = page.locator('#failure-list details.record[data-outcome="fail"]').first();
    expect(await failing.getAttribute('open')).not.toBeNull();
    expect(await failing.locator('.statement').isVisible()).toBe(true);
    expect(await failing.locator('.condition').isVisible()).toBe(true);
    expect(await failing.locator('table.hex td.hl').count()).toBeGreaterThan(0);
    // The passes are not on the page until asked for.
    expect(await page.locator('details.record[data-outcome="pass"]').count()).toBe(0);
    expect(await page.locator('#target-summary tbody tr').count()).toBe(new Set(results.records.map((record) => record.target)).size);
  });

  it('has the passes, the warnings and the matrices a click away', async () => {
    const { page } = opened;
    await openSection(page, 'results');
    expect(await page.locator('#result-list details.record[data-outcome="pass"]').count()).toBe(results.records.filter((record) => record.outcome === 'pass').length);
    await openSection(page, 'warnings');
    expect(await page.locator('#warnings details.record[data-outcome="warning"]').count()).toBe(results.records.filter((record) => record.outcome === 'warning').length);
    await openSection(page, 'mechanisms');
    const own = results.mechanismMatrix!.targets!;
    expect(own.length).toBeGreaterThan(0);
    for (const [position, target] of own.entries()) {
      const table = page.locator(`#target-matrix-${position}`);
      expect(await table.isVisible()).toBe(true);
      expect(await table.locator('tbody tr').count()).toBe(new Set(target.cells.map((cell) => cell.mechanism)).size);
      expect(await table.locator('tr.declared').count()).toBe(target.declared.filter((id) => target.cells.some((cell) => cell.mechanism === id)).length);
    }
  });

  it('keeps the requirement column in view while the matrix scrolls sideways', async () => {
    const { page } = opened;
    await openSection(page, 'requirements');
    const positions = (await page.evaluate(`(() => {
      const scroller = document.querySelector('#requirements .scroll');
      const cell = () => document.querySelector('#req-matrix tbody th.req').getBoundingClientRect().left;
      const before = cell();
      scroller.scrollLeft = scroller.scrollWidth;
      return { before, after: cell(), scrolled: scroller.scrollLeft, box: scroller.getBoundingClientRect().left };
    })()`)) as { before: number; after: number; scrolled: number; box: number };
    expect(positions.scrolled).toBeGreaterThan(500);
    // Where it was, at the scroll box's left edge (within the half pixel of a table border).
    expect(Math.abs(positions.after - positions.before)).toBeLessThanOrEqual(1);
    expect(Math.abs(positions.after - positions.box)).toBeLessThanOrEqual(1);
  });
});
});
