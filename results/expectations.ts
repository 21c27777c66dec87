/**
 * Expectations: a CI gate's list of known failures (spec/schema/expectations.schema.json). Applying
 * them turns matching failures into `xfail` and matching passes into `xpass`, and reports entries
 * that expired or matched nothing, so that the exit code depends on unexpected results only.
 */
import { packagePath } from '../core/package-root.ts';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseLocatedYaml, readLocatedYaml, type LocatedYaml } from '../core/located-yaml.ts';
import { compileSchemaFile, validateLocated } from '../core/schema-validator.ts';
import { formatPosition } from '../core/source-position.ts';
import { specProblem, type SpecProblem } from '../core/spec-problem.ts';
import { requirementIds } from '../generated/ts/requirements.ts';
import { matchesGlob } from '../core/glob.ts';
import { matrixCells } from './mechanism-matrix.ts';
import { recordsSha256 } from './records-hash.ts';
import type { ExpectationEntryRef, ResultRecord, RunResults } from './result-model.ts';
import type { ExpectationsFile, ExpectationsFileEntry, ExpiryDate, ExpirySpecVersion } from '../generated/ts/schema/expectations.ts';

export { verdict, judge, type ExitCode, type Verdict } from './verdict.ts';

/** Absolute path of the expectations JSON Schema. */
export const expectationsSchemaFile: string = packagePath('spec/schema/expectations.schema.json');

/** When an entry stops applying: after a date, or once the spec catalogue knows a version. */
export type ExpectationExpiry = { kind: 'date'; date: ExpiryDate } | ({ kind: 'specVersion' } & ExpirySpecVersion);

/**
 * One known failure: an entry of the file (`target`, `requirement` and `mechanism` exact or glob;
 * without a mechanism, the target's own checks only), with its expiry told apart and its position.
 */
export interface ExpectationEntry extends Omit<ExpectationsFileEntry, 'expires'> {
  expires?: ExpectationExpiry;
  /** file:line:column of the entry. */
  source: string;
}

/**
 * Whether `entry` covers the result `record`: target and requirement match, and the mechanism does
 * when the entry names one. An entry without a mechanism covers a target's own checks and the
 * `mechanism:*` self-checks, never the cells of a target's mechanism matrix (a model's known defect
 * on its own properties says nothing about how it treats each mechanism).
 */
export function entryCovers(entry: Pick<ExpectationEntry, 'target' | 'requirement' | 'mechanism'>, record: { target: string; requirement: string; mechanism?: string }): boolean {
  if (!matchesGlob(entry.target, record.target) || !matchesGlob(entry.requirement, record.requirement)) return false;
  if (entry.mechanism !== undefined) return record.mechanism !== undefined && matchesGlob(entry.mechanism, record.mechanism);
  return record.mechanism === undefined || record.target.startsWith('mechanism:');
}

/** A parsed expectations file. */
export interface Expectations {
  file: string;
  entries: ExpectationEntry[];
}

/** Result of loading: the expectations, or located problems (exit code 2). */
export type ExpectationsLoad = { ok: true; expectations: Expectations } | { ok: false; problems: SpecProblem[] };

/** Parses expectations YAML text; `file` names the file in positions. Never throws on bad input. */
export function parseExpectations(text: string, file: string): ExpectationsLoad {
  return fromLocated(parseLocatedYaml(text, file));
}

/** Reads and parses an expectations file; `display` is the name shown in positions. */
export function loadExpectations(file: string, display = file): ExpectationsLoad {
  return fromLocated(readLocatedYaml(file, display, 'expectations'));
}

function fromLocated(parsed: ReturnType<typeof parseLocatedYaml>): ExpectationsLoad {
  if (!parsed.ok) return parsed;
  const { yaml } = parsed;
  const problems = validateLocated(yaml, compileSchemaFile(expectationsSchemaFile));
  if (problems.length > 0) return { ok: false, problems };
  const raw = (yaml.data as ExpectationsFile).expectations;
  const entries: ExpectationEntry[] = [];
  const seen = new Map<string, string>();
  raw.forEach((entry, index) => {
    const at = yaml.positionOf(['expectations', index]);
    const semantic = checkEntry(yaml, entry, index);
    problems.push(...semantic);
    const key = `${entry.target}\u0000${entry.requirement}\u0000${entry.mechanism ?? ''}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      problems.push(specProblem('duplicateName', at, ['expectations', index], `target '${entry.target}' and requirement '${entry.requirement}'${entry.mechanism === undefined ? '' : ` and mechanism '${entry.mechanism}'`} are already listed at ${earlier}`));
    }
    seen.set(key, formatPosition(at));
    entries.push({
      target: entry.target,
      requirement: entry.requirement,
      ...(entry.mechanism !== undefined && { mechanism: entry.mechanism }),
      reason: entry.reason,
      ...(entry.link !== undefined && { link: entry.link }),
      ...(entry.expires !== undefined && {
        expires: typeof entry.expires === 'string' ? { kind: 'date' as const, date: entry.expires } : { kind: 'specVersion' as const, ...entry.expires },
      }),
      source: formatPosition(at),
    });
  });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, expectations: { file: yaml.file, entries } };
}

function checkEntry(yaml: LocatedYaml, entry: ExpectationsFileEntry, index: number): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const ids = [...requirementIds];
  if (!ids.some((id) => matchesGlob(entry.requirement, id))) {
    const path = ['expectations', index, 'requirement'];
    problems.push(specProblem('unknownRequirement', yaml.positionOf(path), path, `requirement '${entry.requirement}' names no requirement of the catalogue`));
  }
  if (typeof entry.expires === 'string' && !isCalendarDate(entry.expires)) {
    const path = ['expectations', index, 'expires'];
    problems.push(specProblem('schemaViolation', yaml.positionOf(path), path, `expires '${entry.expires}' is not a calendar date`));
  }
  return problems;
}

function isCalendarDate(text: string): boolean {
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** `YYYY-MM-DD` (UTC) of a date. */
function isoDay(today: Date | string): string {
  return typeof today === 'string' ? today.slice(0, 10) : today.toISOString().slice(0, 10);
}

/** True when the entry no longer applies on `today` for a run whose spec catalogue is `specVersions`. */
export function isExpired(entry: ExpectationEntry, today: Date | string, specVersions: Record<string, string[]>): boolean {
  if (!entry.expires) return false;
  if (entry.expires.kind === 'date') return isoDay(today) > entry.expires.date;
  return (specVersions[entry.expires.family] ?? []).includes(entry.expires.version);
}

function entryRef(entry: ExpectationEntry): ExpectationEntryRef {
  return {
    target: entry.target,
    requirement: entry.requirement,
    ...(entry.mechanism !== undefined && { mechanism: entry.mechanism }),
    reason: entry.reason,
    ...(entry.link !== undefined && { link: entry.link }),
    ...(entry.expires !== undefined && {
      expires: entry.expires.kind === 'date' ? entry.expires.date : `${entry.expires.family} ${entry.expires.version}`,
    }),
    source: entry.source,
  };
}

/**
 * Applies expectations to a run and returns new results (the input is not changed):
 * - a `fail` matched by a live entry becomes `xfail`, a `pass` becomes `xpass` (the known failure
 *   is gone: the entry must be removed), each carrying the entry;
 * - `error`, `skip` and `inapplicable` are left alone: a harness error is never an expected result;
 * - expired entries apply to nothing and are listed in `expectations.expired`;
 * - live entries that matched no record are listed in `expectations.unmatched`.
 * Records that already carry an expectation are judged again from their original outcome.
 * The first matching entry (file order) wins.
 */
export function applyExpectations(results: RunResults, expectations: Expectations, today: Date | string): RunResults {
  const live = expectations.entries.filter((entry) => !isExpired(entry, today, results.metadata.specVersions));
  const expired = expectations.entries.filter((entry) => isExpired(entry, today, results.metadata.specVersions));
  const matched = new Set<ExpectationEntry>();
  let applied = 0;
  const records = results.records.map((original): ResultRecord => {
    const { expectation: _previous, ...record } = original;
    const outcome = original.outcome === 'xfail' ? 'fail' : original.outcome === 'xpass' ? 'pass' : original.outcome;
    const entry = live.find((candidate) => entryCovers(candidate, record));
    if (!entry) return { ...record, outcome };
    matched.add(entry);
    if (outcome !== 'fail' && outcome !== 'pass') return { ...record, outcome };
    applied += 1;
    return {
      ...record,
      outcome: outcome === 'fail' ? 'xfail' : 'xpass',
      expectation: {
        target: entry.target,
        requirement: entry.requirement,
        ...(entry.mechanism !== undefined && { mechanism: entry.mechanism }),
        reason: entry.reason,
        ...(entry.link !== undefined && { link: entry.link }),
        source: entry.source,
      },
    };
  });
  return {
    ...results,
    metadata: { ...results.metadata, recordsSha256: recordsSha256(records) },
    records,
    ...(results.mechanismMatrix !== undefined && { mechanismMatrix: refreshedMatrix(results.mechanismMatrix, records) }),
    expectations: {
      file: expectations.file,
      applied,
      expired: expired.map(entryRef),
      unmatched: live.filter((entry) => !matched.has(entry)).map(entryRef),
    },
  };
}

/**
 * The matrices judged again from the new records: xvc's own cells and every frontend target's, so
 * that a cell whose failure is expected shows as xfail wherever it is shown. Cells no record fills
 * are kept as they were.
 */
function refreshedMatrix(matrix: NonNullable<RunResults['mechanismMatrix']>, records: ResultRecord[]): NonNullable<RunResults['mechanismMatrix']> {
  return {
    ...matrix,
    cells: refreshedCells(matrix.cells, matrixCells(records)),
    ...(matrix.targets !== undefined && {
      targets: matrix.targets.map((target) => ({ ...target, cells: refreshedCells(target.cells, matrixCells(records, (record) => record.target === target.target)) })),
    }),
  };
}

/** `cells` with each replaced by the fresh cell of the same mechanism and property, where there is one. */
function refreshedCells<Cell extends { mechanism: string; property: string }>(cells: readonly Cell[], fresh: readonly Cell[]): Cell[] {
  const key = (cell: { mechanism: string; property: string }): string => `${cell.mechanism}\u0000${cell.property}`;
  const byKey = new Map(fresh.map((cell) => [key(cell), cell]));
  return cells.map((cell) => byKey.get(key(cell)) ?? cell);
}
