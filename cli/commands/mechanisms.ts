/**
 * `xvc mechanisms [--json] [--seed N] [--runs N] [--from RESULTS]`: the mechanism × property matrix of
 * conformance/mechanisms/matrix.ts — every discovery mechanism of spec/mechanisms.yaml against the frontend
 * invariants (read alone by the reference policy) and the catalogue's static facts. The table lists
 * each red cell with its violation; `--json` carries the shrunk counterexamples for `xvc replay`.
 * With `--from` nothing is computed: the matrices a run recorded are printed, xvc's own and each
 * frontend target's, red cells with the command that replays them.
 * The matrix is information, not a verdict: red cells are what the comparison is for, so the exit
 * code is 0 unless the usage or input is bad (2) or a cell could not be computed (3).
 */
import { categoryExitCodes } from '../../core/diagnostics.ts';
import { formatXvcError, isXvcError } from '../../core/xvc-error.ts';
import { parseRunsOption } from '../../conformance/run-plan.ts';
import { parseSeed, seedFromEnvironment } from '../../core/seed.ts';
import { terminalSafe, terminalSafeJson } from '../../core/terminal-text.ts';
import { computeMechanismMatrix, type MatrixCell, type MechanismMatrix } from '../../conformance/mechanisms/index.ts';
import { readResults } from '../../results/read-results.ts';
import { cellRecord, replayCommands } from '../../results/replay-command.ts';
import type { MatrixCell as RecordedCell, Outcome, RunResults } from '../../results/result-model.ts';
import type { CommandIo } from '../main.ts';
import { CommandUsageError, commandUsage, parseCommandArgs } from '../command-options.ts';

/** Help text of `xvc mechanisms` (spec/commands.yaml). */
export const usage = commandUsage('mechanisms');

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
  if (red.some((cell) => cell.counterexample)) lines.push('', 'xvc mechanisms --json gives each counterexample; xvc replay --scenario FILE --mechanism ID --property P re-runs one (FILE holding its "scenario").');
  return `${lines.join('\n')}\n`;
}

/** How an outcome reads in a text table: failures in capitals, so they stand out without colour. */
const recordedSymbols: Record<Outcome, string> = { pass: 'pass', fail: 'FAIL', xfail: 'xfail', xpass: 'XPASS', warning: 'warn', error: 'ERROR', skip: 'skip', inapplicable: 'n/a' };

/** Columns padded to their widest cell. */
function textTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((title, index) => Math.max(title.length, ...rows.map((row) => row[index]!.length)));
  const line = (cells: string[]) => cells.map((text, index) => text.padEnd(widths[index]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)];
}

/** One recorded matrix: mechanisms as rows (a declared one marked `*` when `declared` is given), properties as columns, then its red cells. */
function recordedMatrix(cells: readonly RecordedCell[], results: RunResults, replays: ReadonlyMap<string, string>, declared?: readonly string[]): string[] {
  const mechanisms = [...new Set(cells.map((cell) => cell.mechanism))];
  const order = new Map(results.mechanismMatrix?.mechanisms.map((mechanism, index) => [mechanism.id, index]) ?? []);
  mechanisms.sort((a, b) => (order.get(a) ?? 1e9) - (order.get(b) ?? 1e9) || a.localeCompare(b));
  const properties = [...new Set(cells.map((cell) => cell.property))];
  const byKey = new Map(cells.map((cell) => [`${cell.mechanism}\u0000${cell.property}`, cell]));
  const rows = mechanisms.map((mechanism) => [
    `${declared === undefined ? '' : declared.includes(mechanism) ? '* ' : '  '}${mechanism}`,
    ...properties.map((property) => {
      const cell = byKey.get(`${mechanism}\u0000${property}`);
      return cell ? recordedSymbols[cell.outcome] : '·';
    }),
  ]);
  const lines = textTable(['mechanism', ...properties], rows);
  const red = cells.filter((cell) => cell.outcome === 'fail' || cell.outcome === 'xfail' || cell.outcome === 'xpass' || cell.outcome === 'error');
  if (red.length > 0) lines.push('', `${red.length} red cell(s):`);
  for (const cell of red) {
    const record = cellRecord(results.records, cell);
    const replay = record === undefined ? undefined : replays.get(record.id);
    lines.push(`  ${cell.mechanism} x ${cell.property}: ${cell.outcome}${record ? ` — ${record.message.split('\n')[0] ?? ''}` : ''}`);
    if (replay !== undefined) lines.push(`    replay: ${replay}`);
  }
  return lines;
}

/** The matrices a run recorded, as text: xvc's own, then each frontend target's. */
export function renderRecordedMatrices(results: RunResults, from: string): string {
  const matrix = results.mechanismMatrix;
  if (matrix === undefined) return 'these results hold no mechanism matrix (no mechanisms suite and no frontend target ran)\n';
  const replays = replayCommands(results.records, from);
  const lines: string[] = [];
  if (matrix.cells.length > 0) lines.push("xvc's mechanism matrix: each mechanism read alone by xvc's reference policy (targets mechanism:*)", '', ...recordedMatrix(matrix.cells, results, replays), '');
  for (const target of matrix.targets ?? []) {
    lines.push(
      `${target.target}: its own matrix; * marks what it declares it reads (${target.declared.join(', ') || 'nothing'}), judged on every property; every other mechanism it must ignore`,
      '',
      ...recordedMatrix(target.cells, results, replays, target.declared),
      '',
    );
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** Runs the command. */
export async function run(args: string[], io: CommandIo): Promise<number> {
  const parsed = parseCommandArgs('mechanisms', args);
  let options: { json: boolean; seed: number; runs: number; from?: string };
  try {
    if (!parsed.ok) throw new CommandUsageError('mechanisms', parsed.message);
    const { values } = parsed;
    if (values.help) {
      io.stdout(usage);
      return 0;
    }
    if (values.from !== undefined && (values.seed !== undefined || values.runs !== undefined)) throw new CommandUsageError('mechanisms', '--from prints what a run computed: --seed and --runs do not apply');
    options = {
      json: values.json ?? false,
      seed: values.seed === undefined ? seedFromEnvironment() : parseSeed(values.seed, '--seed'),
      // The bound of xvc run --runs: a huge count ran the matrix until killed.
      runs: parseRunsOption(values.runs),
      ...(values.from !== undefined && { from: values.from }),
    };
  } catch (error) {
    io.stderr(`xvc mechanisms: ${terminalSafe(isXvcError(error) ? formatXvcError(error) : error instanceof Error ? error.message : String(error), { multiline: true })}\n${usage}`);
    return categoryExitCodes.usage;
  }
  if (options.from !== undefined) {
    const read = readResults(options.from);
    if (!read.ok) {
      io.stderr(`xvc mechanisms: ${read.error.code} ${terminalSafe(read.error.message)}\n`);
      return read.error.exitCode;
    }
    for (const warning of read.warnings) io.stderr(`xvc mechanisms: ${terminalSafe(warning)}\n`);
    io.stdout(options.json ? `${terminalSafeJson(JSON.stringify(read.results.mechanismMatrix ?? null, null, 2))}\n` : terminalSafe(renderRecordedMatrices(read.results, options.from), { multiline: true }));
    return 0;
  }
  const matrix = computeMechanismMatrix({ seed: options.seed, runs: options.runs });
  io.stdout(options.json ? `${JSON.stringify(matrix, null, 2)}\n` : renderMatrix(matrix));
  return matrix.cells.some((cell) => cell.outcome === 'error') ? 3 : 0;
}
