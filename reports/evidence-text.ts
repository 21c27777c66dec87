/**
 * Evidence as plain text (JUnit failure bodies, Markdown code blocks, terminal output). Bounded: a
 * target can send megabytes of evidence, and a report must stay readable.
 */
import type { BytesEvidence, Evidence } from '../results/result-model.ts';
import { clip, maxShownText } from '../core/clip-text.ts';
import { describeDiagnosticCode } from '../core/diagnostics.ts';

export { clip, maxShownText };

/** Most bytes of a region shown; the rest is summarised. */
export const maxShownBytes = 4096;

/** The bytes of a hex string (whitespace ignored; a trailing odd nibble is dropped). */
export function parseHexBytes(hex: string): number[] {
  const digits = hex.replace(/[^0-9a-fA-F]/g, '');
  const bytes: number[] = [];
  for (let index = 0; index + 1 < digits.length && bytes.length < maxShownBytes; index += 2) bytes.push(Number.parseInt(digits.slice(index, index + 2), 16));
  return bytes;
}

/** One row of a hex dump: absolute offset of its first byte and its cells. */
export interface HexRow {
  offset: number;
  cells: { offset: number; byte: number; highlighted: boolean }[];
}

/** Rows of 16 bytes aligned to absolute offsets, with the evidence's offending bytes marked. */
export function hexRows(evidence: BytesEvidence): HexRow[] {
  const bytes = parseHexBytes(evidence.bytes);
  const highlighted = new Set(evidence.highlight);
  const rows: HexRow[] = [];
  for (let index = 0; index < bytes.length; index++) {
    const offset = evidence.offset + index;
    const rowOffset = offset - (offset % 16);
    let row = rows[rows.length - 1];
    if (!row || row.offset !== rowOffset) {
      row = { offset: rowOffset, cells: [] };
      rows.push(row);
    }
    row.cells.push({ offset, byte: bytes[index] ?? 0, highlighted: highlighted.has(offset) });
  }
  return rows;
}

/** `0x1a` style offset, at least 4 digits. */
export function hexOffset(offset: number): string {
  return `0x${offset.toString(16).padStart(4, '0')}`;
}

function bytesText(evidence: BytesEvidence): string {
  const lines = [`${evidence.functionId} ${evidence.space ?? 'config'} at ${hexOffset(evidence.offset)}; offending bytes [marked]: ${evidence.highlight.map(hexOffset).join(', ') || 'none'}`];
  if (evidence.expected !== undefined) lines.push(`expected: ${evidence.expected}`);
  if (evidence.actual !== undefined) lines.push(`actual:   ${evidence.actual}`);
  for (const row of hexRows(evidence)) {
    const first = row.cells[0]?.offset ?? row.offset;
    const lead = '    '.repeat(first - row.offset);
    lines.push(`${hexOffset(row.offset)}: ${lead}${row.cells.map((cell) => (cell.highlighted ? `[${hex2(cell.byte)}]` : ` ${hex2(cell.byte)} `)).join('')}`);
  }
  return lines.join('\n');
}

function hex2(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}

/** Pretty JSON of a scenario, bounded; never throws (cycles cannot come from JSON, but be safe). */
export function scenarioJson(scenario: unknown): string {
  try {
    return clip(JSON.stringify(scenario, null, 2) ?? 'undefined');
  } catch {
    return '(scenario could not be shown)';
  }
}

/** Plain text of one piece of evidence; `replay` replaces the recorded replay command of a counterexample (see results/replay-command.ts). */
export function evidenceText(evidence: Evidence, replay?: string): string {
  switch (evidence.kind) {
    case 'bytes':
      return bytesText(evidence);
    case 'counterexample':
      return `counterexample (seed ${evidence.seed}, path ${evidence.path})\nreplay: ${replay ?? evidence.replay}\nscenario:\n${scenarioJson(evidence.scenario)}`;
    case 'harness':
      return `harness error ${describeDiagnosticCode(evidence.code)}${evidence.stderr !== undefined ? `\nstderr:\n${clip(evidence.stderr)}` : ''}`;
    case 'text':
      return clip(evidence.text);
  }
}
