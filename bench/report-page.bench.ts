/**
 * The report page of a `qemu:all`-sized run (test-support/large-results.ts: 51 device variants, about
 * 3,500 results) in headless Chromium: how tall the page is as it opens and how far down the first
 * failure is (issue 12 measured 157,000 px and 8,000 px), and how long writing the page takes.
 * Skipped without /usr/bin/chromium.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { renderHtml } from '../reports/html.ts';
import { qemuAllSizedResults } from '../test-support/large-results.ts';
import type { BenchValue } from './metric.ts';

const executablePath = '/usr/bin/chromium';

/** Measures the page. */
export async function run(): Promise<Record<string, BenchValue>> {
  const results = qemuAllSizedResults();
  const started = performance.now();
  const html = renderHtml(results);
  const renderSeconds = (performance.now() - started) / 1000;
  const figures: Record<string, BenchValue> = {
    reportPageQemuAllRenderSeconds: { value: Number(renderSeconds.toFixed(3)), unit: 's', command: `renderHtml of ${results.records.length} results (in process)` },
  };
  if (!existsSync(executablePath)) return figures;
  const dir = mkdtempSync(join(tmpdir(), 'xvc-bench-page-'));
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const file = join(dir, 'report.html');
    writeFileSync(file, html);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('html[data-ready="true"]', { timeout: 120_000 });
    const measured = (await page.evaluate(`(() => {
      const first = document.querySelector('[data-outcome="fail"], [data-outcome="error"], [data-outcome="xpass"]');
      return { height: document.documentElement.scrollHeight, firstTop: first ? first.getBoundingClientRect().top + window.scrollY : -1 };
    })()`)) as { height: number; firstTop: number };
    const command = `report.html of ${results.records.length} results, 1280×900 viewport`;
    figures.reportPageQemuAllHeightPx = { value: Math.round(measured.height), unit: 'px', command };
    figures.reportPageFirstFailureTopPx = { value: Math.round(measured.firstTop), unit: 'px', goal: { below: 900 }, command: `${command} (top of the first failure)` };
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}
