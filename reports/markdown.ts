/**
 * Markdown writer, sized for a CI step summary (GitHub limits one to 1 MiB): verdict, counts, the
 * unexpected results first with their evidence, expectations problems, the mechanism matrix, a
 * requirement × target overview and the provenance. Untrusted text is escaped or fenced.
 */
import { countOutcomes, formatCounts } from '../results/outcome-counts.ts';
import type { ResultRecord, RunResults } from '../results/result-model.ts';
import { judge } from '../results/verdict.ts';
import { escapeMarkdown as md, markdownCodeBlock, markdownInlineCode as code } from './escape.ts';
import { clip, evidenceText } from './evidence-text.ts';
import { outcomeMeaning, outcomeSymbol } from './outcome-style.ts';
import { provenanceRows } from './provenance.ts';
import { isUnexpected, sortRecords } from './record-order.ts';

/** Options of {@link renderMarkdown}. */
export interface MarkdownOptions {
  /** Most unexpected results shown with evidence (the rest are listed by id). Default 50. */
  maxDetailed?: number;
  /** Most rows of the expected-failures table. Default 200. */
  maxRows?: number;
  /** Size (UTF-8 bytes) the summary must fit; fewer failures are detailed until it does. Default 1,000,000 (GitHub's step summary limit is 1 MiB). */
  maxBytes?: number;
}

function heading(record: ResultRecord): string {
  const about = [record.level, record.side].filter((part) => part !== undefined).join(', ');
  return `${outcomeSymbol[record.outcome]} **${record.outcome}** ${code(record.requirement)} on ${code(record.target)}${record.title !== undefined ? ` — ${md(record.title)}` : ''}${about !== '' ? ` (${md(about)})` : ''}`;
}

function detailed(record: ResultRecord): string {
  const lines = [`### ${heading(record)}`, '', `Test: ${md(record.test)}${record.ref !== undefined ? ` · ${md(record.ref)}` : ''}`, ''];
  if (record.outcome === 'xpass' && record.expectation) {
    lines.push(`Expected to fail (${md(record.expectation.reason)}, ${md(record.expectation.source ?? 'expectations')}) but passed: remove the entry.`, '');
  }
  // The statement the verdict rests on, and what exactly was tested: every failure cites its text.
  if (record.statement !== undefined) lines.push(`Statement${record.level !== undefined ? ` (${md(record.level)})` : ''}: ${md(record.statement)}`, '');
  if (record.condition !== undefined) lines.push(`Condition tested: ${md(record.condition)}`, '');
  if (record.message !== '') lines.push(markdownCodeBlock(clip(record.message, 4000)), '');
  for (const evidence of record.evidence) lines.push(markdownCodeBlock(clip(evidenceText(evidence), 8000)), '');
  return lines.join('\n');
}

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

function mechanismMatrix(results: RunResults): string[] {
  const matrix = results.mechanismMatrix;
  if (!matrix || matrix.mechanisms.length === 0) return [];
  const cell = new Map(matrix.cells.map((entry) => [`${entry.mechanism}\u0000${entry.property}`, entry]));
  const rows = matrix.mechanisms.map((mechanism) => [
    `${md(mechanism.title)} (${code(mechanism.id)})`,
    `${md(mechanism.writer)}${mechanism.trusted ? '' : ' ⚠ untrusted'}`,
    ...matrix.properties.map((property) => {
      const entry = cell.get(`${mechanism.id}\u0000${property.id}`);
      return entry ? `${outcomeSymbol[entry.outcome]} ${entry.outcome}` : '·';
    }),
  ]);
  const lines = ['## Mechanism × property', '', table(['mechanism', 'writer', ...matrix.properties.map((property) => `${md(property.title ?? property.id)} (${code(property.requirement)})`)], rows), ''];
  const red = matrix.cells.filter((entry) => entry.counterexample && (entry.outcome === 'fail' || entry.outcome === 'xfail'));
  if (red.length > 0) {
    lines.push('Replay a red cell:', '');
    for (const entry of red) lines.push(`- ${code(entry.mechanism)} × ${code(entry.property)}: ${code(entry.counterexample?.replay ?? '')}`);
    lines.push('');
  }
  return lines;
}

function overview(results: RunResults): string[] {
  const targets = [...new Set(results.records.map((record) => record.target))].sort();
  if (targets.length === 0) return [];
  const rows = targets.map((target) => {
    const counts = countOutcomes(results.records.filter((record) => record.target === target));
    const implementation = results.metadata.targets.find((candidate) => candidate.spec === target)?.implementation;
    return [code(target), md(implementation ?? ''), ...(['pass', 'fail', 'warning', 'error', 'xfail', 'xpass', 'skip', 'inapplicable'] as const).map((outcome) => String(counts[outcome]))];
  });
  return ['## Per target', '', table(['target', 'implementation', 'pass', 'fail', 'warning', 'error', 'xfail', 'xpass', 'skip', 'inapplicable'], rows), ''];
}

/** Renders summary.md. */
export function renderMarkdown(results: RunResults, options: MarkdownOptions = {}): string {
  const maxDetailed = options.maxDetailed ?? 50;
  const verdict = judge(results);
  const symbol = verdict.exitCode === 0 ? '✅' : verdict.exitCode === 1 ? '❌' : '⚠️';
  const counts = countOutcomes(results.records);
  // The headline is xvc's own text (counts), not target data.
  const lines: string[] = [`# xvc: ${symbol} ${verdict.headline} (exit ${verdict.exitCode})`, ''];
  if (results.metadata.partial) lines.push('> **Partial results**: the run did not finish (or a merge lacks parts); only what was recorded is shown.', '');
  lines.push(`**${results.records.length} results:** ${formatCounts(counts)}`, '');
  if (results.runErrors.length > 0) {
    lines.push(`## Run errors (${results.runErrors.length})`, '', markdownCodeBlock(clip(results.runErrors.join('\n'), 8000)), '');
  }
  const sorted = sortRecords(results.records);
  const unexpected = sorted.filter(isUnexpected);
  if (unexpected.length > 0) {
    lines.push(`## Unexpected results (${unexpected.length})`, '');
    for (const record of unexpected.slice(0, maxDetailed)) lines.push(detailed(record));
    if (unexpected.length > maxDetailed) {
      lines.push(`… and ${unexpected.length - maxDetailed} more:`, '');
      for (const record of unexpected.slice(maxDetailed)) lines.push(`- ${heading(record)}`);
      lines.push('');
    }
  }
  const expected = sorted.filter((record) => record.outcome === 'xfail');
  const maxRows = options.maxRows ?? 200;
  if (expected.length > 0) {
    lines.push(
      `## Expected failures (${expected.length})`,
      '',
      table(
        ['requirement', 'target', 'reason', 'link'],
        expected.slice(0, maxRows).map((record) => [code(record.requirement), code(record.target), md(record.expectation?.reason ?? ''), record.expectation?.link !== undefined ? code(record.expectation.link) : '']),
      ),
      '',
    );
    if (expected.length > maxRows) lines.push(`… and ${expected.length - maxRows} more (see report.html).`, '');
  }
  const report = results.expectations;
  if (report && (report.expired.length > 0 || report.unmatched.length > 0)) {
    lines.push(`## Expectations (${md(report.file)})`, '');
    for (const entry of report.expired) lines.push(`- expired ${md(entry.expires ?? '')}: ${code(entry.target)} ${code(entry.requirement)} at ${md(entry.source)} — ${md(entry.reason)}`);
    for (const entry of report.unmatched) lines.push(`- matched nothing: ${code(entry.target)} ${code(entry.requirement)} at ${md(entry.source)} — ${md(entry.reason)}`);
    lines.push('');
  }
  lines.push(...mechanismMatrix(results), ...overview(results));
  lines.push(
    '<details><summary>Legend</summary>',
    '',
    ...(Object.keys(outcomeSymbol) as (keyof typeof outcomeSymbol)[]).map((outcome) => `- ${outcomeSymbol[outcome]} ${outcome}: ${outcomeMeaning[outcome]}`),
    '',
    '</details>',
    '',
    '## Provenance',
    '',
    table(['', ''], provenanceRows(results).map((row) => [md(row.label), md(clip(row.value, 2000))])),
    '',
  );
  const text = lines.join('\n');
  const maxBytes = options.maxBytes ?? 1_000_000;
  if (Buffer.byteLength(text, 'utf8') > maxBytes && maxDetailed > 0) {
    return renderMarkdown(results, { ...options, maxDetailed: Math.floor(maxDetailed / 2), maxRows: Math.floor(maxRows / 2) });
  }
  return text;
}
