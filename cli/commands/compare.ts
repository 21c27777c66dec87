/**
 * `xvc compare OLD NEW [--json]`: what changed between two runs — new failures, fixed ones and
 * failures whose evidence changed. Exit 1 when NEW has failures OLD did not, so a CI job can hold a
 * baseline; 0 otherwise; 2 for bad usage or unreadable results.
 */
import { parseArgs } from 'node:util';
import { terminalSafe, terminalSafeJson } from '../../core/terminal-text.ts';
import { compareResults, type Comparison, type RecordChange } from '../../results/compare-results.ts';
import { readResults } from '../../results/read-results.ts';
import type { RunResults } from '../../results/result-model.ts';
import type { CommandIo } from '../main.ts';

/** One line of help. */
export const summary = 'compare two results: new failures (exit 1), fixed ones, changed evidence';

const usage = `usage: xvc compare OLD NEW [--json]

OLD and NEW are results.json files (or results.jsonl of killed runs, or directories holding them).
  --json   print one JSON object: { "newFailures", "fixed", "changedEvidence", "otherChanges", ... }
Exit codes: 0 no new failures, 1 new failures, 2 bad usage or input.
`;

function load(path: string, io: CommandIo): RunResults | undefined {
  const read = readResults(path);
  if (!read.ok) {
    io.stderr(`xvc compare: ${terminalSafe(read.error.message)}\n`);
    return undefined;
  }
  for (const warning of read.warnings) io.stderr(`xvc compare: ${terminalSafe(warning)}\n`);
  return read.results;
}

// Target text (messages) may hold control characters or escape sequences: show it on one line,
// without them, so a terminal or CI log cannot be rewritten by a device.
function printable(text: string): string {
  return terminalSafe(text, { replacement: ' ' }).slice(0, 300);
}

function line(change: RecordChange): string {
  return `  ${printable(change.requirement)} on ${printable(change.target)}: ${change.before ?? '(absent)'} -> ${change.after ?? '(absent)'} — ${printable(change.test)}${change.message !== '' ? `: ${printable(change.message.split('\n')[0] ?? '')}` : ''}\n`;
}

function text(comparison: Comparison): string {
  let out = '';
  const section = (title: string, changes: RecordChange[]): void => {
    if (changes.length === 0) return;
    out += `${title} (${changes.length}):\n${changes.map(line).join('')}\n`;
  };
  section('New failures', comparison.newFailures);
  section('Fixed', comparison.fixed);
  section('Changed evidence', comparison.changedEvidence);
  section('Other changes', comparison.otherChanges);
  out += `${comparison.newFailures.length} new failure(s), ${comparison.fixed.length} fixed, ${comparison.changedEvidence.length} with changed evidence, ${comparison.stillFailing} still failing, ${comparison.unchanged} unchanged\n`;
  return out;
}

/** Runs the command. */
export async function run(args: string[], io: CommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    io.stderr(`xvc compare: ${error instanceof Error ? error.message : String(error)}\n${usage}`);
    return 2;
  }
  if (parsed.values.help) {
    io.stdout(usage);
    return 0;
  }
  if (parsed.positionals.length !== 2) {
    io.stderr(`xvc compare: need OLD and NEW\n${usage}`);
    return 2;
  }
  const [oldPath, newPath] = parsed.positionals as [string, string];
  const oldResults = load(oldPath, io);
  const newResults = load(newPath, io);
  if (!oldResults || !newResults) return 2;
  if (newResults.metadata.partial) io.stderr('xvc compare: NEW is partial: records it lacks are listed as absent\n');
  const comparison = compareResults(oldResults, newResults);
  io.stdout(parsed.values.json ? `${terminalSafeJson(JSON.stringify(comparison, null, 2))}\n` : text(comparison));
  return comparison.newFailures.length > 0 ? 1 : 0;
}
