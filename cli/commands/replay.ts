/**
 * `xvc replay`: re-runs one counterexample and says whether it still breaks its property.
 *   xvc replay --from RESULTS --record ID [--target T]
 *   xvc replay --scenario FILE (--target T | --mechanism M | --target T --mechanism M) --property P
 * ID is a record's short id (what every report prints), a unique prefix of it, or its full id. The case
 * comes from the record's counterexample evidence, or from FILE (a case as the evidence holds it, the
 * evidence itself, a matrix cell's counterexample, or a bare scenario). It is asked of the target (or
 * of the reference policy reading mechanism M), judged by the record's property (a frontend property,
 * a cell of the target's own mechanism matrix, or a mechanism matrix cell), and the decisions and the
 * violation are printed. A layouts record re-runs its codec check with the recorded seed. Exit 1 when
 * the case still violates, 0 when not, 2 on bad usage or input, 3 when the target fails.
 *
 * A results file is data, often from someone else (a CI artifact of a pull request): it never chooses
 * a program to run. A record of an `exec:` or `qemu:` target (anything but the built-in reference,
 * models and mechanisms) is replayed only against a target named with --target on the command line.
 */
import { XvcError } from '../../core/xvc-error.ts';
import { packagePath } from '../../core/package-root.ts';
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { readInputText } from '../../core/input-file.ts';
import { terminalSafe } from '../../core/terminal-text.ts';
import { isSeed, seedRangeText } from '../../core/seed.ts';
import { defaultRuns, isRunsCount, maxRuns } from '../../conformance/run-plan.ts';
import { readResults } from '../../results/read-results.ts';
import { isBuiltinTarget, replayCommand } from '../../results/replay-command.ts';
import { findRecord, shortRecordIds } from '../../results/short-record-id.ts';
import { compileSchemaFile } from '../../core/schema-validator.ts';
import type { Decision } from '../../generated/ts/schema/decision.ts';
import { openFrontendTarget } from '../../targets/create-target.ts';
import { TargetError } from '../../targets/device-target.ts';
import { isSkip } from '../../targets/frontend-target.ts';
import { parseTargetSpec, TargetSpecError } from '../../targets/target-spec.ts';
import { caseFullName } from '../../conformance/conformance-case.ts';
import { answerCase, answerCaseWithTarget } from '../../conformance/frontend/index.ts';
import { describeViolation, type CaseAnswers, type FrontendCase, type Violation } from '../../conformance/frontend/index.ts';
import { frontendProperties, frontendPropertyById } from '../../conformance/frontend/index.ts';
import { layoutCases } from '../../conformance/layouts/index.ts';
import { discoveryMechanism, mechanismProperties, targetMatrixColumns } from '../../conformance/mechanisms/index.ts';
import { mechanismFrontend } from '../../conformance/mechanisms/index.ts';
import type { CommandIo } from '../main.ts';
import { commandUsage, parseCommandArgs } from '../command-options.ts';

/** Help text of `xvc replay`. */
export const usage = commandUsage('replay');

/** Bad usage or an unusable input file: exit 2. */
class ReplayInputError extends XvcError<'replayInput'> {
  constructor(message: string) {
    super('replayInput', message, {});
  }
}

const validateScenario = compileSchemaFile(packagePath('spec/schema/scenario.schema.json'));

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Extracts the case from whatever shape FILE or the evidence holds, and checks its scenarios. */
export function caseFrom(value: unknown): FrontendCase {
  let current = value;
  // Unwrap evidence ({ kind, scenario: case }) and matrix counterexamples ({ scenario: case, seed, path }).
  for (let depth = 0; depth < 3 && isObject(current) && !('guest' in current) && !('expectations' in current) && isObject(current.scenario); depth++) current = current.scenario;
  if (!isObject(current)) throw new ReplayInputError('the counterexample is not a JSON object');
  const testCase: FrontendCase = 'guest' in current ? { scenario: current as unknown as FrontendCase['scenario'], expectations: {} } : (current as unknown as FrontendCase);
  if (!isObject(testCase.expectations)) testCase.expectations = {};
  for (const [name, scenario] of [['scenario', testCase.scenario], ['variant', testCase.variant]] as const) {
    if (scenario === undefined && name === 'variant') continue;
    if (!validateScenario(scenario)) {
      const first = validateScenario.errors?.[0];
      throw new ReplayInputError(`the ${name} is not a valid scenario: ${first ? `${first.instancePath || '/'} ${first.message ?? ''}` : 'unknown error'}`);
    }
  }
  return testCase;
}

/** A frontend case to ask, and what judges the answers. */
interface FrontendReplay {
  kind: 'frontend';
  testCase: FrontendCase;
  property: string;
  /** The frontend target to ask; absent for a mechanism self-check. */
  target?: string;
  /** With a target: a cell of the target's own matrix; without: xvc's reader of this mechanism alone. */
  mechanism?: string;
}

/** A layouts record: xvc's codec check, re-run with the recorded seed. */
interface LayoutsReplay {
  kind: 'layouts';
  test: string;
  requirement: string;
  seed: number;
  runs: number;
}

type ReplayRequest = FrontendReplay | LayoutsReplay;

/** Bounded, regular-file-only JSON (core/input-file.ts). */
function readJsonInput(file: string, kind: 'results' | 'scenario'): unknown {
  const read = readInputText(file, kind);
  if (!read.ok) throw new ReplayInputError(`cannot read ${read.error.message}`);
  try {
    return JSON.parse(read.text) as unknown;
  } catch (error) {
    throw new ReplayInputError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** What replay needs of a results file: its records (unchecked: a file may be hand-made) and the runs per property. */
interface ResultsInput {
  records: Record<string, unknown>[];
  /** metadata.runs, checked: a whole number a run accepts (a count fast-check cannot use hung replay or invented a verdict). */
  runs?: number;
}

/** The file's metadata.runs when it has one; one a run would not accept is bad input naming the file and the field. */
function checkedRuns(path: string, metadata: unknown): number | undefined {
  if (!isObject(metadata) || !('runs' in metadata)) return undefined;
  const runs = metadata.runs;
  if (!isRunsCount(runs)) throw new ReplayInputError(`${path}: metadata.runs must be a whole number from 1 to ${maxRuns}, got ${JSON.stringify(runs) ?? String(runs)}`);
  return runs;
}

/**
 * The records of `path`: a results.json, or — for a killed run — its results.jsonl, a directory
 * holding them, or a results.json that was never written beside a results.jsonl.
 */
function resultsOf(path: string): ResultsInput {
  const isDirectory = existsSync(path) && statSync(path).isDirectory();
  const jsonlBeside = !existsSync(path) && basename(path) === 'results.json' && existsSync(join(dirname(path), 'results.jsonl'));
  if (isDirectory || path.endsWith('.jsonl') || jsonlBeside) {
    const read = readResults(path);
    if (!read.ok) throw new ReplayInputError(read.error.message);
    const runs = checkedRuns(read.file, read.results.metadata);
    return { records: read.results.records as unknown as Record<string, unknown>[], ...(runs !== undefined && { runs }) };
  }
  const results = readJsonInput(path, 'results');
  if (!isObject(results) || !Array.isArray(results.records)) throw new ReplayInputError(`${path} is not an xvc results file (no records)`);
  const runs = checkedRuns(path, results.metadata);
  return { records: results.records.filter(isObject).filter((record) => typeof record.id === 'string'), ...(runs !== undefined && { runs }) };
}

/** The record `query` names, or a usage error that lists what it could have meant. */
function pickRecord(input: ResultsInput, file: string, query: string): Record<string, unknown> & { id: string } {
  const records = input.records as (Record<string, unknown> & { id: string })[];
  const found = findRecord(records, query);
  if (found.kind === 'found') return found.record;
  if (found.kind === 'none') throw new ReplayInputError(`${file} has no record '${query}' (give the short id a report prints, a unique prefix of it, or the full record id)`);
  const shortIds = shortRecordIds(records);
  const listed = found.candidates.slice(0, 10).map((record) => `  ${shortIds.get(record.id)}  ${record.id}`);
  throw new ReplayInputError(`'${query}' names ${found.candidates.length} records of ${file}; give more of the short id:\n${listed.join('\n')}${found.candidates.length > 10 ? '\n  ...' : ''}`);
}

/** A command the user can paste, with the program target left for them to name. */
function withTargetCommand(from: string, record: { id: string; target?: unknown }, shortId: string): string {
  return replayCommand({ target: 'exec:./your-adapter' }, shortId, from).replace(/--target .*$/, '--target exec:./your-adapter');
}

/** The request a record stands for; `userTarget` is the --target of the command line. */
function fromRecord(input: ResultsInput, file: string, query: string, userTarget: string | undefined, propertyOverride: string | undefined): { request: ReplayRequest; label: string } {
  const record = pickRecord(input, file, query);
  const shortId = shortRecordIds(input.records as { id: string }[]).get(record.id)!;
  const target = typeof record.target === 'string' ? record.target : undefined;
  const label = `record ${shortId} (${String(record.requirement ?? '?')} on ${target ?? '?'}: ${String(record.test ?? '?')})`;
  const evidence = Array.isArray(record.evidence) ? record.evidence.find((item) => isObject(item) && item.kind === 'counterexample') : undefined;
  if (!isObject(evidence)) throw new ReplayInputError(`${label} carries no counterexample (outcome ${String(record.outcome ?? '?')}): there is nothing to replay`);
  if (record.suite === 'layouts') {
    const seed = evidence.seed;
    if (seed === undefined || typeof record.test !== 'string' || typeof record.requirement !== 'string') throw new ReplayInputError(`${label}: its counterexample names no seed`);
    if (!isSeed(seed)) throw new ReplayInputError(`${file}: ${label}: evidence.seed must be ${seedRangeText}, got ${JSON.stringify(seed) ?? String(seed)}`);
    return { request: { kind: 'layouts', test: record.test, requirement: record.requirement, seed, runs: input.runs ?? defaultRuns }, label };
  }
  const property = propertyOverride ?? (typeof record.property === 'string' ? record.property : undefined);
  if (!property) throw new ReplayInputError(`${label} names no property`);
  const mechanism = typeof record.mechanism === 'string' ? record.mechanism : undefined;
  const testCase = caseFrom(evidence.scenario);
  if (target?.startsWith('mechanism:') && userTarget === undefined) return { request: { kind: 'frontend', testCase, property, ...(mechanism !== undefined && { mechanism }) }, label };
  if (userTarget === undefined && (target === undefined || !isBuiltinTarget(target))) {
    throw new ReplayInputError(
      `${label} was produced by the target ${JSON.stringify(target ?? '(none)')}, which runs a program; ` +
        'xvc never starts a program named in a results file. Name the target to replay against yourself, e.g.\n' +
        `  ${withTargetCommand(file, record, shortId)}\n` +
        `(the reports print this command with the recorded target: check it before you run it)`,
    );
  }
  return { request: { kind: 'frontend', testCase, property, target: userTarget ?? target!, ...(mechanism !== undefined && { mechanism }) }, label };
}

function decisionLine(decision: Decision): string {
  const domid = decision.outcome === 'grants' ? ` towards domid ${String(decision.backendDomid)}` : '';
  const via = decision.mechanism ? ` via ${decision.mechanism}` : '';
  return `  ${decision.deviceId}: ${decision.outcome}${domid}${via}${decision.reason ? ` (${decision.reason})` : ''}`;
}

/** The printed report of one replay. */
export function renderReplay(who: string, property: string, answers: CaseAnswers, violation: Violation | undefined): string {
  const lines = [`${who}, property ${property}`, 'decisions:', ...answers.decisions.map(decisionLine)];
  if (answers.variantDecisions) lines.push('decisions with the other backend (variant):', ...answers.variantDecisions.map(decisionLine));
  if (answers.mapResult) {
    lines.push(`map: ${answers.mapResult.outcome}${answers.mapResult.reason ? ` (${answers.mapResult.reason})` : ''}`);
    for (const [index, mapping] of answers.mapResult.mappings.entries()) {
      lines.push(`  buffer ${index}: dma ${mapping.dmaAddress}, grants ${mapping.grants.map((grant) => `${grant.ref}->${grant.domid}${grant.readonly ? ' ro' : ''}`).join(', ') || 'none'}`);
    }
  }
  lines.push(violation ? `VIOLATION (${violation.code}): ${describeViolation(violation)}` : 'no violation: the case passes');
  return `${lines.join('\n')}\n`;
}

async function replayLayouts(request: LayoutsReplay, io: CommandIo): Promise<number> {
  const suite = layoutCases({ seed: request.seed, numRuns: request.runs });
  const testCase = suite.cases.find((candidate) => caseFullName(candidate) === request.test && (candidate.requirements as readonly string[]).includes(request.requirement));
  if (!testCase) throw new ReplayInputError(`this xvc has no layouts check '${request.test}' (the record comes from another version of xvc)`);
  const result = await testCase.run();
  io.stdout(`xvc's codecs, ${request.test} (seed ${request.seed}, ${request.runs} runs)\n`);
  if (result.outcome === 'fail') {
    io.stdout(`VIOLATION: ${terminalSafe(result.message)}\n`);
    return 1;
  }
  io.stdout(result.outcome === 'pass' ? 'no violation: the check passes\n' : `${result.outcome}: ${'note' in result ? result.note : 'message' in result ? result.message : ''}\n`);
  return result.outcome === 'error' ? 3 : 0;
}

async function replay(request: ReplayRequest, io: CommandIo): Promise<number> {
  if (request.kind === 'layouts') return replayLayouts(request, io);
  if (request.target === undefined || request.target.startsWith('mechanism:')) {
    const mechanismId = request.mechanism ?? request.target?.slice('mechanism:'.length);
    if (mechanismId === undefined) throw new ReplayInputError('name a --target or a --mechanism');
    const mechanism = discoveryMechanism(mechanismId);
    if (!mechanism) throw new ReplayInputError(`unknown mechanism '${mechanismId}'`);
    const property = mechanismProperties.find((candidate) => candidate.id === request.property);
    if (!property) throw new ReplayInputError(`unknown mechanism property '${request.property}' (known: ${mechanismProperties.map((candidate) => candidate.id).join(', ')})`);
    const answers = answerCase(mechanismFrontend(mechanism), request.testCase);
    const violation = property.check(request.testCase, answers);
    io.stdout(renderReplay(`reference policy reading ${mechanismId}`, property.id, answers, violation));
    return violation ? 1 : 0;
  }
  // A cell of the target's own matrix is judged by its column; a frontend property by itself.
  let check: (testCase: FrontendCase, answers: CaseAnswers) => Violation | undefined;
  let judged: string;
  if (request.mechanism !== undefined) {
    if (!discoveryMechanism(request.mechanism)) throw new ReplayInputError(`unknown mechanism '${request.mechanism}'`);
    const column = targetMatrixColumns.find((candidate) => candidate.id === request.property);
    if (!column) throw new ReplayInputError(`unknown mechanism matrix property '${request.property}' (known: ${targetMatrixColumns.map((candidate) => candidate.id).join(', ')})`);
    check = column.check;
    judged = `${request.mechanism} × ${column.id}`;
  } else {
    const property = frontendPropertyById(request.property);
    if (!property) throw new ReplayInputError(`unknown property '${request.property}' (known: ${frontendProperties.map((candidate) => candidate.id).join(', ')})`);
    check = property.check;
    judged = property.id;
  }
  let spec;
  try {
    spec = parseTargetSpec(request.target);
  } catch (error) {
    if (error instanceof TargetSpecError) throw new ReplayInputError(error.message);
    throw error;
  }
  const target = await openFrontendTarget(spec);
  try {
    const answers = await answerCaseWithTarget(target, request.testCase);
    if (isSkip(answers)) {
      io.stdout(`${terminalSafe(request.target)} declined the case: ${terminalSafe(answers.reason)}\n`);
      return 0;
    }
    const violation = check(request.testCase, answers);
    io.stdout(terminalSafe(renderReplay(request.target, judged, answers, violation), { multiline: true }));
    return violation ? 1 : 0;
  } finally {
    await target.close();
  }
}

/** Runs the command. */
export async function run(args: string[], io: CommandIo): Promise<number> {
  try {
    const parsed = parseCommandArgs('replay', args);
    if (!parsed.ok) throw new ReplayInputError(parsed.message);
    const { values } = parsed;
    if (values.help) {
      io.stdout(usage);
      return 0;
    }
    let request: ReplayRequest;
    if (values.from !== undefined || values.record !== undefined) {
      if (values.from === undefined || values.record === undefined) throw new ReplayInputError('--from and --record go together');
      if (values.scenario !== undefined) throw new ReplayInputError('--scenario replays a file of its own; it does not go with --from and --record');
      const found = fromRecord(resultsOf(values.from), values.from, values.record, values.target, values.property);
      io.stdout(`${terminalSafe(found.label)}\n`);
      request = found.request;
    } else {
      if (values.scenario === undefined || values.property === undefined) throw new ReplayInputError('give --from and --record, or --scenario and --property');
      if (values.target === undefined && values.mechanism === undefined) throw new ReplayInputError('give --target, --mechanism, or both (a cell of the target\'s own mechanism matrix)');
      const parsedCase = caseFrom(readJsonInput(values.scenario, 'scenario'));
      request = {
        kind: 'frontend',
        testCase: parsedCase,
        property: values.property,
        ...(values.target !== undefined && { target: values.target }),
        ...(values.mechanism !== undefined && { mechanism: values.mechanism }),
      };
    }
    return await replay(request, io);
  } catch (error) {
    if (error instanceof TargetError) {
      io.stderr(`xvc replay: target error ${error.code} ${error.diagnostic}: ${terminalSafe(error.message)}\n${terminalSafe(error.details.stderr ?? '', { multiline: true })}`);
      return error.exitCode;
    }
    if (error instanceof ReplayInputError) {
      io.stderr(`xvc replay: ${error.code} ${terminalSafe(error.message, { multiline: true })}\n\n${usage}`);
      return error.exitCode;
    }
    throw error;
  }
}
