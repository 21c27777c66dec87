/**
 * `xvc compare OLD NEW [--json]`: what changed in kind between two runs — new failures, fixed ones
 * and failures whose evidence changed, the rest counted. Exit 1 when NEW has failures OLD did not, so a CI job can hold a
 * baseline; 0 otherwise; 2 for bad usage or unreadable results.
 */
import { categoryExitCodes } from '../../core/diagnostics.ts';
import { terminalSafe, terminalSafeJson } from '../../core/terminal-text.ts';
import { compareResults, type Comparison, type RecordChange } from '../../results/compare-results.ts';
import { readResults } from '../../results/read-results.ts';
import type { RunResults } from '../../results/result-model.ts';
import { shortRecordIds } from '../../results/short-record-id.ts';
import type { CommandIo } from '../main.ts';
import { commandUsage, parseCommandArgs } from '../command-options.ts';

/** Help text of `xvc compare` (spec/commands.yaml). */
export const usage = commandUsage('compare');

function load(path: string, io: CommandIo): RunResults | undefined {
  const read = readResults(path);
  if (!read.ok) {
    io.stderr(`xvc compare: ${read.error.code} ${terminalSafe(read.error.message)}\n`);
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

/** Most changes listed per kind; `--json` has every one. */
const MAX_LISTED = 200;

function line(change: RecordChange, shortId: string | undefined): string {
  return `  ${printable(change.requirement)} on ${printable(change.target)}: ${change.before ?? '(absent)'} -> ${change.after ?? '(absent)'} — ${printable(change.test)}${change.message !== '' ? `: ${printable(change.message.split('\n')[0] ?? '')}` : ''}${shortId !== undefined ? ` [record ${shortId}]` : ''}\n`;
}

/**
 * The comparison as text: only what changed in kind — new failures, fixes, failures whose evidence
 * changed — each listed with its record's short id in NEW (or OLD when it is gone); every other change
 * is counted by kind, never listed (a baseline of a large run has thousands of them).
 */
export function comparisonText(comparison: Comparison, shortIds: ReadonlyMap<string, string> = new Map()): string {
  let out = '';
  const section = (title: string, changes: RecordChange[]): void => {
    if (changes.length === 0) return;
    out += `${title} (${changes.length}):\n${changes.slice(0, MAX_LISTED).map((change) => line(change, shortIds.get(change.id))).join('')}`;
    if (changes.length > MAX_LISTED) out += `  ... and ${changes.length - MAX_LISTED} more (--json lists every change)\n`;
    out += '\n';
  };
  section('New failures', comparison.newFailures);
  section('Fixed', comparison.fixed);
  section('Changed evidence', comparison.changedEvidence);
  if (comparison.otherChanges.length > 0) {
    const kinds = new Map<string, number>();
    for (const change of comparison.otherChanges) {
      const kind = `${change.before ?? '(absent)'} -> ${change.after ?? '(absent)'}`;
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    const counted = [...kinds].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1)).map(([kind, count]) => `${count} ${kind}`);
    out += `Other changes (${comparison.otherChanges.length}, not failures or fixes; --json lists them): ${counted.join(', ')}\n\n`;
  }
  out += `${comparison.newFailures.length} new failure(s), ${comparison.fixed.length} fixed, ${comparison.changedEvidence.length} with changed evidence, ${comparison.otherChanges.length} other change(s), ${comparison.stillFailing} still failing, ${comparison.unchanged} unchanged\n`;
  return out;
}

/** Runs the command. */
export async function run(args: string[], io: CommandIo): Promise<number> {
  const parsed = parseCommandArgs('compare', args);
  if (!parsed.ok) {
    io.stderr(`xvc compare: ${terminalSafe(parsed.message)}\n${usage}`);
    return categoryExitCodes.usage;
  }
  if (parsed.values.help) {
    io.stdout(usage);
    return 0;
  }
  if (parsed.positionals.length !== 2) {
    io.stderr(`xvc compare: need OLD and NEW\n${usage}`);
    return categoryExitCodes.usage;
  }
  const [oldPath, newPath] = parsed.positionals as [string, string];
  const oldResults = load(oldPath, io);
  const newResults = load(newPath, io);
  if (!oldResults || !newResults) return categoryExitCodes.results;
  if (newResults.metadata.partial) io.stderr('xvc compare: NEW is partial: records it lacks are listed as absent\n');
  const comparison = compareResults(oldResults, newResults);
  if (parsed.values.json) io.stdout(`${terminalSafeJson(JSON.stringify(comparison, null, 2))}\n`);
  else io.stdout(comparisonText(comparison, new Map([...shortRecordIds(oldResults.records), ...shortRecordIds(newResults.records)])));
  return comparison.newFailures.length > 0 ? 1 : 0;
}
