/**
 * `xvc mechanisms [--json] [--seed N] [--runs N]`: the mechanism × property matrix of
 * conformance/mechanisms/matrix.ts — every discovery mechanism of spec/mechanisms.yaml against the frontend
 * invariants (read alone by the reference policy) and the catalogue's static facts. The table lists
 * each red cell with its violation; `--json` carries the shrunk counterexamples for `xvc replay`.
 * The matrix is information, not a verdict: red cells are what the comparison is for, so the exit
 * code is 0 unless the usage is bad (2) or a cell could not be computed (3).
 */
import { parseArgs } from 'node:util';
import { defaultRuns } from '../../conformance/run-plan.ts';
import { parseSeed, seedFromEnvironment } from '../../core/seed.ts';
import { computeMechanismMatrix, type MatrixCell, type MechanismMatrix } from '../../conformance/mechanisms/index.ts';
import type { CommandIo } from '../main.ts';

/** Help text of `xvc mechanisms`. */
export const usage = `usage: xvc mechanisms [--json] [--seed N] [--runs N]

Runs the frontend invariants once per backend-domid discovery mechanism (spec/mechanisms.yaml), each
mechanism read alone by the reference policy and published by its own writer (hostile when the
backend writes it), and prints the matrix with the catalogue's static facts. --json prints the whole
matrix, red cells with their shrunk counterexample (replay with xvc replay --mechanism ID --property P
--scenario FILE, FILE holding the counterexample's "scenario").
`;

const symbols: Record<MatrixCell['outcome'], string> = { pass: 'pass', fail: 'FAIL', inapplicable: 'n/a', error: 'ERROR', yes: 'yes', no: 'no', info: '' };

function cellText(cell: MatrixCell | undefined): string {
  if (!cell) return '?';
  return cell.outcome === 'info' ? (cell.value ?? '') : symbols[cell.outcome];
}

/** The matrix as a text table followed by the red cells. */
export function renderMatrix(matrix: MechanismMatrix): string {
  const columns = matrix.properties.map((property) => property.id);
  const byKey = new Map(matrix.cells.map((cell) => [`${cell.mechanism}\u0000${cell.property}`, cell]));
  const rows = matrix.mechanisms.map((mechanism) => [mechanism.id, ...columns.map((column) => cellText(byKey.get(`${mechanism.id}\u0000${column}`)))]);
  const header = ['mechanism', ...columns];
  const widths = header.map((title, index) => Math.max(title.length, ...rows.map((row) => row[index]!.length)));
  const line = (cells: string[]) => cells.map((text, index) => text.padEnd(widths[index]!)).join('  ').trimEnd();
  const lines = [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)];
  const red = matrix.cells.filter((cell) => cell.outcome === 'fail' || cell.outcome === 'error');
  lines.push('', `seed ${matrix.seed}, ${matrix.runs} cases per dynamic cell; ${red.length} red cell(s):`);
  for (const cell of red) {
    const evidence = cell.counterexample ? ` [counterexample: seed ${cell.counterexample.seed}, path ${cell.counterexample.path}]` : '';
    lines.push(`  ${cell.mechanism} x ${cell.property} (${(cell.requirements ?? []).join(', ')}): ${cell.note ?? cell.outcome}${evidence}`);
  }
  if (red.some((cell) => cell.counterexample)) lines.push('', 'xvc mechanisms --json gives each counterexample; xvc replay --mechanism ID --property P --scenario FILE re-runs one.');
  return `${lines.join('\n')}\n`;
}

function parseCount(text: string | undefined, name: string, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min) throw new Error(`--${name} must be an integer >= ${min}, got '${text}'`);
  return value;
}

/** Runs the command. */
export async function run(args: string[], io: CommandIo): Promise<number> {
  let options: { json: boolean; seed: number; runs: number };
  try {
    const { values } = parseArgs({ args, options: { json: { type: 'boolean' }, seed: { type: 'string' }, runs: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false });
    if (values.help) {
      io.stdout(usage);
      return 0;
    }
    options = { json: values.json ?? false, seed: values.seed === undefined ? seedFromEnvironment() : parseSeed(values.seed, '--seed'), runs: parseCount(values.runs, 'runs', defaultRuns, 1) };
  } catch (error) {
    io.stderr(`xvc mechanisms: ${error instanceof Error ? error.message : String(error)}\n${usage}`);
    return 2;
  }
  const matrix = computeMechanismMatrix({ seed: options.seed, runs: options.runs });
  io.stdout(options.json ? `${JSON.stringify(matrix, null, 2)}\n` : renderMatrix(matrix));
  return matrix.cells.some((cell) => cell.outcome === 'error') ? 3 : 0;
}
