/**
 * The report page's script on its own terms, in headless Chromium: from the data of a few records
 * made here, what it shows first (the unexpected results, worst first, opened, each with its short
 * id), and that it never opens a passing or expected result there. html.browser.test.ts drives
 * whole runs' pages; this file looks at the script's choices on data whose answer is known.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultRecord, RunResults } from '../results/result-model.ts';
import { toolGate } from '../test-support/required-tool.ts';
import { sampleResults } from '../test-support/sample-results.ts';
import { renderHtml } from './html.ts';

const executablePath = '/usr/bin/chromium';
const browser = toolGate('chromium', existsSync(executablePath), 'install the Debian package chromium');
const scratch = mkdtempSync(join(tmpdir(), 'xvc-html-app-'));

function record(id: string, outcome: ResultRecord['outcome'], requirement: string, message: string): ResultRecord {
  return { id, requirement, target: 'dump:lab.txt', suite: 'device', test: `test ${id}`, outcome, message, evidence: [], durationMs: 1 };
}

/** Two failures of different severity, an error, a pass and an expected failure. */
function results(): RunResults {
  const base = sampleResults();
  const records = [
    record('a', 'pass', 'PCI-DEV-02', ''),
    record('b', 'fail', 'PCI-DEV-10', 'second failure'),
    record('c', 'xfail', 'PCI-DEV-03', 'known'),
    record('d', 'error', 'PCI-DEV-09', 'adapter crashed'),
    record('e', 'fail', 'PCI-DEV-2', 'first failure'),
  ];
  return { ...base, records, mechanismMatrix: undefined, expectations: undefined } as unknown as RunResults;
}

describe.skipIf(!browser.runs)(browser.title('the report page script in headless Chromium'), () => {
  let chrome: Browser;
  beforeAll(async () => {
    browser.require();
    chrome = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await chrome?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('opens the unexpected results first, the error before the failures and PCI-DEV-2 before PCI-DEV-10, each with its short id', async () => {
    const file = join(scratch, 'report.html');
    const given = results();
    writeFileSync(file, renderHtml(given));
    const page = await chrome.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('html[data-ready="true"]', { timeout: 30_000 });
    expect(await page.textContent('#failures h2')).toBe('What failed (3)');
    const cards = await page.$$eval('#failure-list details.record', (nodes) => nodes.map((node) => ({ outcome: node.getAttribute('data-outcome'), requirement: node.getAttribute('data-requirement'), record: node.getAttribute('data-record'), open: (node as HTMLDetailsElement).open })));
    expect(cards.map((card) => [card.outcome, card.requirement, card.open])).toEqual([
      ['error', 'PCI-DEV-09', true],
      ['fail', 'PCI-DEV-2', true],
      ['fail', 'PCI-DEV-10', true],
    ]);
    const sha = (id: string): string => createHash('sha256').update(id, 'utf8').digest('hex');
    const byRequirement = new Map(given.records.map((entry) => [entry.requirement, entry.id]));
    for (const card of cards) expect(sha(byRequirement.get(card.requirement!)!).startsWith(card.record!)).toBe(true);
    expect(await page.textContent('#failure-list')).toContain('first failure');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says so when nothing failed, and shows no failure card', async () => {
    const file = join(scratch, 'green.html');
    const green = results();
    green.records = green.records.filter((entry) => entry.outcome === 'pass' || entry.outcome === 'xfail');
    writeFileSync(file, renderHtml(green));
    const page = await chrome.newPage();
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('html[data-ready="true"]', { timeout: 30_000 });
    expect(await page.textContent('#no-failures')).toBe('No unexpected failure and no harness error.');
    expect(await page.$$('#failure-list details.record')).toHaveLength(0);
    await page.close();
  });
});
