/**
 * The device suite measuring its own power: every check of the table runs on every conformant subject
 * (which must pass or be inapplicable everywhere) and on every mutant (killed when a check fails or
 * warns on it). The matrix says, per check, which mutants it kills, and lists the mutants no check
 * kills, so a check that kills nothing or a false alarm on a conformant device shows at once.
 */
import { liveRows, rowName, staticRows, type CheckInput, type CheckRow } from '../device/check-table.ts';
import { viewFunction } from '../device/checks/function-view.ts';
import { liveCommonConfig } from '../device/checks/live-access.ts';
import type { CheckVerdict } from '../device/checks/verdict.ts';
import { DeviceModel } from '../../reference-impl/virtio/index.ts';
import { FaultyFunction } from './faulty-function.ts';
import { mutantFamilies, mutantsOf, type Mutant } from './operators.ts';
import { subjectDeclarations, subjects, type Subject } from './subjects.ts';

/** How one row ended on one device: a verdict outcome, or `error` when the check threw. */
export type RowOutcome = CheckVerdict['outcome'] | 'error';

/** One row's outcome with its message, for the rows that did not pass. */
export interface RowResult {
  readonly row: string;
  readonly outcome: RowOutcome;
  readonly message?: string;
}

/** The rows in table order, by name. */
export const matrixRows: readonly CheckRow[] = [...staticRows, ...liveRows];

/** Name of a row in the matrix (the queue sweep sampled, as on every target but the reference one). */
export function matrixRowName(row: CheckRow): string {
  return rowName(row, { exhaustiveQueues: false });
}

/** The check input of a function, built the way the device runner builds it. */
export async function inputFor(fn: FaultyFunction): Promise<CheckInput> {
  const view = viewFunction(fn.id, await fn.snapshot(), { claimedVirtio: true });
  const barSizes = await fn.barSizes();
  return {
    view,
    barSizes,
    common: liveCommonConfig(view, fn, barSizes),
    deviceSide: fn.deviceSide,
    snapshot: () => fn.snapshot(),
    exhaustiveQueues: false,
    declared: subjectDeclarations,
  };
}

/** Runs every row, in table order, on a fresh function. */
export async function runRows(fn: FaultyFunction): Promise<RowResult[]> {
  const input = await inputFor(fn);
  const results: RowResult[] = [];
  for (const row of matrixRows) {
    try {
      const verdict = await row.run(input);
      results.push({ row: matrixRowName(row), outcome: verdict.outcome, ...(verdict.outcome === 'fail' || verdict.outcome === 'warning' ? { message: verdict.message } : {}) });
    } catch (error) {
      results.push({ row: matrixRowName(row), outcome: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  }
  return results;
}

/** A check kills a mutant when it fails or warns on it. */
export function kills(outcome: RowOutcome): boolean {
  return outcome === 'fail' || outcome === 'warning';
}

/** What a subject or a mutant did. */
export interface SubjectResult {
  readonly subject: Subject;
  /** Rows that failed, warned or threw: must be none. */
  readonly complaints: RowResult[];
  /** Rows that passed (did not come out inapplicable). */
  readonly applied: number;
}

/** What a mutant did. */
export interface MutantResult {
  readonly mutant: Mutant;
  /** Rows that failed or warned on it. */
  readonly killedBy: string[];
  /** Rows that threw on it (a harness problem, never a kill). */
  readonly errors: RowResult[];
}

/** The whole matrix. */
export interface KillMatrix {
  readonly subjects: SubjectResult[];
  readonly mutants: MutantResult[];
}

/** Runs every subject and every mutant. */
export async function killMatrix(): Promise<KillMatrix> {
  const subjectResults: SubjectResult[] = [];
  const mutantResults: MutantResult[] = [];
  for (const subject of subjects()) {
    const results = await runRows(new FaultyFunction(subject.id, new DeviceModel(subject.description)));
    subjectResults.push({ subject, complaints: results.filter((result) => result.outcome !== 'pass' && result.outcome !== 'inapplicable'), applied: results.filter((result) => result.outcome === 'pass').length });
    for (const mutant of mutantsOf(subject)) {
      const mutated = await runRows(mutant.build());
      mutantResults.push({ mutant, killedBy: mutated.filter((result) => kills(result.outcome)).map((result) => result.row), errors: mutated.filter((result) => result.outcome === 'error') });
    }
  }
  return { subjects: subjectResults, mutants: mutantResults };
}

/** Markers around the device section of docs/kill-matrix.md; the frontend section follows them. */
export const DEVICE_SECTION_BEGIN = '<!-- device:begin -->';
export const DEVICE_SECTION_END = '<!-- device:end -->';

function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

/** The device section of docs/kill-matrix.md, markers included. Deterministic: no timings, stable order. */
export function renderDeviceSection(matrix: KillMatrix): string {
  const killed = matrix.mutants.filter((result) => result.killedBy.length > 0);
  const lines = [
    DEVICE_SECTION_BEGIN,
    '## Device checks',
    '',
    'Written by `XVC_UPDATE_KILL_MATRIX=1 npx vitest run conformance/mutants`; that test fails when this section is stale, when a',
    'device check kills no mutant, or when a conformant subject fails or warns on anything. Subjects are reference device',
    'models (conformant by construction); mutants are derived from them by the operators of `conformance/mutants/operators.ts`',
    '(layout fields out of range, register and flag faults, select, feature, description, BAR-access and window faults, read',
    'side effects). A check kills a mutant when it fails or warns on it.',
    '',
    `Conformant subjects: ${matrix.subjects.length}, with no failure or warning. Mutants: ${matrix.mutants.length}; killed: ${killed.length}; survived: ${matrix.mutants.length - killed.length}.`,
    '',
    '### Conformant subjects',
    '',
    '| subject | checks that applied and passed |',
    '|---|---|',
    ...matrix.subjects.map((result) => `| \`${result.subject.id}\`: ${cell(result.subject.title)} | ${result.applied} |`),
    '',
    '### Mutants killed per check',
    '',
    '| check | mutants killed | by family |',
    '|---|---|---|',
  ];
  for (const row of matrixRows) {
    const name = matrixRowName(row);
    const byRow = matrix.mutants.filter((result) => result.killedBy.includes(name));
    const families = mutantFamilies.map((family) => [family, byRow.filter((result) => result.mutant.family === family).length] as const).filter(([, count]) => count > 0);
    lines.push(`| ${cell(name)} | ${byRow.length} | ${families.map(([family, count]) => `${family} ${count}`).join(', ')} |`);
  }
  lines.push('', '### Mutant families', '', '| family | mutants | killed | survived |', '|---|---|---|---|');
  for (const family of mutantFamilies) {
    const of = matrix.mutants.filter((result) => result.mutant.family === family);
    const dead = of.filter((result) => result.killedBy.length > 0).length;
    lines.push(`| ${family} | ${of.length} | ${dead} | ${of.length - dead} |`);
  }
  lines.push('', '### Check × mutant', '', 'Each mutant with the requirement ids of the checks that kill it (none: it survived; most survivors change a byte no rule', 'constrains, which makes them equivalent to their subject as far as the spec can tell).', '', '| mutant | killed by |', '|---|---|');
  for (const result of matrix.mutants) {
    const ids = [...new Set(result.killedBy.map((name) => name.split(' ').filter((word) => /^[A-Z]+-[A-Z]+-\d+$/.test(word)).join(' ')))];
    lines.push(`| \`${cell(result.mutant.id)}\` | ${ids.length > 0 ? ids.join('; ') : '—'} |`);
  }
  lines.push(DEVICE_SECTION_END);
  return lines.join('\n');
}

/** `document` with its device section replaced by `section` (or appended, when it has none), other sections kept. */
export function withDeviceSection(document: string, section: string): string {
  const begin = document.indexOf(DEVICE_SECTION_BEGIN);
  const end = document.indexOf(DEVICE_SECTION_END);
  if (begin < 0 || end < begin) {
    const head = document.trim() === '' ? '# Kill matrix\n\nWhat the suites catch: for each conformance check, the minimally broken subjects it kills.\n\n' : `${document.trimEnd()}\n\n`;
    return `${head}${section}\n`;
  }
  return `${document.slice(0, begin)}${section}${document.slice(end + DEVICE_SECTION_END.length)}`;
}
