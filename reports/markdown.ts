/**
 * Markdown writer, sized for a CI step summary (GitHub limits one to 1 MiB): verdict, counts, the
 * unexpected results first with their statement, condition, evidence and the command that replays
 * them, warnings, expected failures, expectations problems, xvc's mechanism matrix and each frontend
 * target's own, a per-target overview and the provenance. Untrusted text is escaped or fenced; a
 * link is written as a Markdown link (clickable) only when it is an http(s) URL.
 */
import { describeDiagnosticCode } from '../core/diagnostics.ts';
import { incidentDuring, recordedIncidents, stderrEnd } from '../results/adapter-incidents.ts';
import { countOutcomes, formatCounts, type OutcomeCounts } from '../results/outcome-counts.ts';
import { cellRecord, replayCommands, replayStartsProgram } from '../results/replay-command.ts';
import type { MatrixCell, Outcome, ResultRecord, RunResults } from '../results/result-model.ts';
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
  /** Most rows of a table or list (expected failures, warnings, the rest of the unexpected results). Default 200. */
  maxRows?: number;
  /** Size (UTF-8 bytes) the summary must fit; fewer failures are detailed until it does. Default 1,000,000 (GitHub's step summary limit is 1 MiB). */
  maxBytes?: number;
  /** Where the results are, for the replay commands (default: as the results recorded them). */
  replayFrom?: string;
}

/** A Markdown link when `url` is an http(s) URL (angle brackets keep any parenthesis in it), else the escaped text. */
export function markdownLink(label: string, url: string): string {
  return /^https?:\/\/[^\s<>\\`]+$/.test(url) ? `[${md(label)}](<${url}>)` : md(url);
}

function heading(record: ResultRecord): string {
  const about = [record.level, record.side].filter((part) => part !== undefined).join(', ');
  return `${outcomeSymbol[record.outcome]} **${record.outcome}** ${code(record.requirement)} on ${code(record.target)}${record.title !== undefined ? ` — ${md(record.title)}` : ''}${about !== '' ? ` (${md(about)})` : ''}`;
}

function detailed(record: ResultRecord, replay: string | undefined): string {
  const lines = [`### ${heading(record)}`, '', `Test: ${md(record.test)}${record.ref !== undefined ? ` · ${md(record.ref)}` : ''}`, ''];
  if (record.outcome === 'xpass' && record.expectation) {
    lines.push(`Expected to fail (${md(record.expectation.reason)}, ${md(record.expectation.source ?? 'expectations')}) but passed: remove the entry.`, '');
  }
  // The statement the verdict rests on, and what exactly was tested: every failure cites its text.
  if (record.statement !== undefined) lines.push(`Statement${record.level !== undefined ? ` (${md(record.level)})` : ''}: ${md(record.statement)}`, '');
  if (record.condition !== undefined) lines.push(`Condition tested: ${md(record.condition)}`, '');
  if (record.message !== '') lines.push(markdownCodeBlock(clip(record.message, 4000)), '');
  for (const evidence of record.evidence) {
    // The counterexample's scenario, without its replay line: the command gets a block of its own.
    lines.push(markdownCodeBlock(clip(evidence.kind === 'counterexample' ? evidenceText(evidence, replay).replace(/^replay: .*\n/m, '') : evidenceText(evidence), 8000)), '');
  }
  if (replay !== undefined) {
    lines.push(`Replay${replayStartsProgram(record.target) ? ` (starts ${code(record.target)} again, as this run did: check it first)` : ''}:`, '', markdownCodeBlock(replay, 'sh'), '');
  }
  return lines.join('\n');
}

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

function firstLine(text: string): string {
  return clip(text.split('\n')[0] ?? '', 300);
}

/** A matrix: mechanisms as rows (declared ones marked), properties as columns, then its red cells with their replay commands. */
function matrixTable(results: RunResults, cells: readonly MatrixCell[], replays: ReadonlyMap<string, string>, declared?: readonly string[]): string[] {
  const matrix = results.mechanismMatrix!;
  const used = new Set(cells.map((cell) => cell.mechanism));
  const mechanisms = [...matrix.mechanisms.filter((mechanism) => used.has(mechanism.id)), ...[...used].filter((id) => !matrix.mechanisms.some((mechanism) => mechanism.id === id)).map((id) => ({ id, title: id, writer: 'unknown', trusted: false }))];
  // Columns in the matrix's order of properties, then any the matrix does not list.
  const present = new Set(cells.map((cell) => cell.property));
  const properties = [...matrix.properties.map((property) => property.id).filter((id) => present.has(id)), ...[...present].filter((id) => !matrix.properties.some((property) => property.id === id))];
  const titles = new Map(matrix.properties.map((property) => [property.id, property]));
  const byKey = new Map(cells.map((cell) => [`${cell.mechanism}\u0000${cell.property}`, cell]));
  const rows = mechanisms.map((mechanism) => [
    `${declared?.includes(mechanism.id) ? '**declared** ' : ''}${md(mechanism.title)} (${code(mechanism.id)})`,
    `${md(mechanism.writer)}${mechanism.trusted ? '' : ' ⚠ untrusted'}`,
    ...properties.map((property) => {
      const entry = byKey.get(`${mechanism.id}\u0000${property}`);
      return entry ? `${outcomeSymbol[entry.outcome]} ${entry.outcome}` : '·';
    }),
  ]);
  const header = ['mechanism', 'writer', ...properties.map((property) => {
    const known = titles.get(property);
    return known ? `${md(known.title ?? known.id)} (${code(known.requirement)})` : code(property);
  })];
  const lines = [table(header, rows), ''];
  const red = cells.filter((cell) => cell.outcome === 'fail' || cell.outcome === 'xfail' || cell.outcome === 'xpass' || cell.outcome === 'error');
  const withReplay = red.map((cell) => ({ cell, replay: (() => {
    const record = cellRecord(results.records, cell);
    return record === undefined ? undefined : replays.get(record.id);
  })() })).filter((entry) => entry.replay !== undefined);
  if (withReplay.length > 0) {
    lines.push('Replay a red cell:', '');
    for (const { cell, replay } of withReplay) lines.push(`- ${code(cell.mechanism)} × ${code(cell.property)} (${cell.outcome}): ${code(replay!)}`);
    lines.push('');
  }
  return lines;
}

function mechanismMatrices(results: RunResults, replays: ReadonlyMap<string, string>): string[] {
  const matrix = results.mechanismMatrix;
  if (!matrix || matrix.mechanisms.length === 0) return [];
  const lines: string[] = [];
  if (matrix.cells.length > 0) {
    lines.push('## Mechanism × property', '', "Each discovery mechanism read alone by xvc's reference policy (`mechanism:*`): what the designs allow.", '', ...matrixTable(results, matrix.cells, replays));
  }
  for (const target of matrix.targets ?? []) {
    lines.push(
      `## Mechanism × property of ${code(target.target)}`,
      '',
      `What the target declares it reads (${target.declared.length > 0 ? target.declared.map(code).join(', ') : 'nothing'}) judged on every property; every other mechanism it must ignore.`,
      '',
      ...matrixTable(results, target.cells, replays, target.declared),
    );
  }
  return lines;
}

function overview(results: RunResults): string[] {
  const byTarget = new Map<string, ResultRecord[]>();
  for (const record of results.records) {
    const list = byTarget.get(record.target);
    if (list === undefined) byTarget.set(record.target, [record]);
    else list.push(record);
  }
  if (byTarget.size === 0) return [];
  const implementations = new Map(results.metadata.targets.map((target) => [target.spec, target.implementation]));
  const columns: Outcome[] = ['pass', 'fail', 'warning', 'error', 'xfail', 'xpass', 'skip', 'inapplicable'];
  const rows = [...byTarget.keys()].sort().map((target) => {
    const counts: OutcomeCounts = countOutcomes(byTarget.get(target)!);
    return [code(target), md(implementations.get(target) ?? ''), ...columns.map((outcome) => String(counts[outcome]))];
  });
  return ['## Per target', '', table(['target', 'implementation', ...columns], rows), ''];
}

/** Most adapter incidents the summary details; results.json keeps every one. */
const MAX_INCIDENTS_SHOWN = 20;
/** Most characters of an adapter's stderr the summary shows (its end). */
const INCIDENT_STDERR_CHARS = 2000;

/**
 * Adapter crashes, hangs and protocol breaks, each once, even when a restarted adapter answered and
 * every result passed: the vendor must see that the adapter failed (what, how often, its stderr).
 */
function adapterIncidents(results: RunResults): string[] {
  const incidents = recordedIncidents(results.records);
  if (incidents.length === 0) return [];
  const lines = [
    `## Adapter incidents (${incidents.length})`,
    '',
    'An adapter process crashed, hung or broke the protocol while xvc used it. xvc restarted it and sent the requests in flight again; the results a fresh process answered count as they came out, but the adapter failed: fix it, whatever the verdict.',
    '',
  ];
  for (const incident of incidents.slice(0, MAX_INCIDENTS_SHOWN)) {
    // What happened and the stderr are fenced, as a failure's message is: literal text, never markup.
    const stderr = incident.stderrTail.trim() === '' ? [] : ['', 'stderr (the end):', stderrEnd(incident.stderrTail, INCIDENT_STDERR_CHARS)];
    lines.push(
      `**${md(incident.kind)}** of ${code(incident.target)} (${md(describeDiagnosticCode(incident.code))})`,
      '',
      markdownCodeBlock([clip(incident.description, 4000), `during: ${incidentDuring(incident)}`, ...stderr].join('\n')),
      '',
    );
  }
  if (incidents.length > MAX_INCIDENTS_SHOWN) lines.push(`… and ${incidents.length - MAX_INCIDENTS_SHOWN} more (results.json has every one).`, '');
  return lines;
}

/** The summary's parts that do not change with the number of detailed failures. */
interface Parts {
  head: string[];
  unexpected: ResultRecord[];
  tail: string[];
  replays: ReadonlyMap<string, string>;
}

function parts(results: RunResults, options: MarkdownOptions): Parts {
  const maxRows = options.maxRows ?? 200;
  const verdict = judge(results);
  const symbol = verdict.exitCode === 0 ? '✅' : verdict.exitCode === 1 ? '❌' : '⚠️';
  const counts = countOutcomes(results.records);
  const replays = replayCommands(results.records, options.replayFrom);
  // The headline is xvc's own text (counts), not target data.
  const head: string[] = [`# xvc: ${symbol} ${verdict.headline} (exit ${verdict.exitCode})`, ''];
  if (results.metadata.partial) {
    head.push(
      '> **Partial results**: the run did not finish (a signal stopped it, it was killed, or a merge lacks parts); only what was recorded is shown. The exit code above is the verdict of these results (`xvc report --check`); a run that SIGINT, SIGTERM or SIGHUP stopped itself exits 128 + the signal number (130, 143, 129).',
      '',
    );
  }
  head.push(`**${results.records.length} results:** ${formatCounts(counts)}`, '');
  if (results.runErrors.length > 0) head.push(`## Run errors (${results.runErrors.length})`, '', markdownCodeBlock(clip(results.runErrors.join('\n'), 8000)), '');
  head.push(...adapterIncidents(results));
  // Only what is listed is sorted: a run of 240,000 records has a few hundred to show.
  const unexpected = sortRecords(results.records.filter(isUnexpected));
  const tail: string[] = [];
  const warnings = sortRecords(results.records.filter((record) => record.outcome === 'warning'));
  if (warnings.length > 0) {
    tail.push(
      `## Warnings (${warnings.length})`,
      '',
      'SHOULD statements (or non-normative notes) not met: shown, never a failure unless the run is `--strict`.',
      '',
      table(
        ['requirement', 'target', 'statement', 'what was found'],
        warnings.slice(0, maxRows).map((record) => [code(record.requirement), code(record.target), md(record.statement ?? record.title ?? ''), md(firstLine(record.message))]),
      ),
      '',
    );
    if (warnings.length > maxRows) tail.push(`… and ${warnings.length - maxRows} more (see report.html).`, '');
  }
  const expected = sortRecords(results.records.filter((record) => record.outcome === 'xfail'));
  if (expected.length > 0) {
    tail.push(
      `## Expected failures (${expected.length})`,
      '',
      table(
        ['requirement', 'target', 'reason', 'link'],
        expected.slice(0, maxRows).map((record) => [
          code(record.requirement),
          code(record.target),
          md(record.expectation?.reason ?? ''),
          record.expectation?.link !== undefined ? markdownLink('link', record.expectation.link) : '',
        ]),
      ),
      '',
    );
    if (expected.length > maxRows) tail.push(`… and ${expected.length - maxRows} more (see report.html).`, '');
  }
  const report = results.expectations;
  if (report && (report.expired.length > 0 || report.unmatched.length > 0)) {
    tail.push(`## Expectations (${md(report.file)})`, '');
    for (const entry of report.expired) tail.push(`- expired ${md(entry.expires ?? '')}: ${code(entry.target)} ${code(entry.requirement)} at ${md(entry.source)} — ${md(entry.reason)}`);
    for (const entry of report.unmatched) tail.push(`- matched nothing: ${code(entry.target)} ${code(entry.requirement)} at ${md(entry.source)} — ${md(entry.reason)}`);
    tail.push('');
  }
  tail.push(...mechanismMatrices(results, replays), ...overview(results));
  tail.push(
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
  return { head, unexpected, tail, replays };
}

function unexpectedSection(part: Parts, maxDetailed: number, maxRows: number): string[] {
  const { unexpected, replays } = part;
  if (unexpected.length === 0) return [];
  const lines = [`## Unexpected results (${unexpected.length})`, ''];
  for (const record of unexpected.slice(0, maxDetailed)) lines.push(detailed(record, replays.get(record.id)));
  const rest = unexpected.slice(maxDetailed);
  if (rest.length > 0) {
    lines.push(`… and ${rest.length} more:`, '');
    for (const record of rest.slice(0, maxRows)) lines.push(`- ${heading(record)}`);
    if (rest.length > maxRows) lines.push(`- … ${rest.length - maxRows} more (see report.html)`);
    lines.push('');
  }
  return lines;
}

/** Renders summary.md. */
export function renderMarkdown(results: RunResults, options: MarkdownOptions = {}): string {
  const part = parts(results, options);
  const maxBytes = options.maxBytes ?? 1_000_000;
  const maxRows = options.maxRows ?? 200;
  const fixed = Buffer.byteLength([...part.head, ...part.tail].join('\n'), 'utf8');
  // Fewer failures in detail until the summary fits; the rest stay listed by heading.
  for (let maxDetailed = options.maxDetailed ?? 50; ; maxDetailed = Math.floor(maxDetailed / 2)) {
    const middle = unexpectedSection(part, maxDetailed, maxRows);
    if (maxDetailed === 0 || fixed + Buffer.byteLength(middle.join('\n'), 'utf8') + 1 <= maxBytes) return [...part.head, ...middle, ...part.tail].join('\n');
  }
}
