/**
 * `xvc replay`: re-runs one counterexample and says whether it still breaks its property.
 *   xvc replay --from results.json --record ID [--target T]
 *   xvc replay --scenario FILE (--target T | --mechanism M) --property P
 * The case comes from the record's counterexample evidence, or from FILE (a case as the evidence holds
 * it, the evidence itself, a matrix cell's counterexample, or a bare scenario). It is asked of the
 * target (or of the reference policy reading mechanism M), and the decisions and the violation are
 * printed. Exit 1 when the case still violates, 0 when not, 2 on bad usage or input, 3 when the target
 * fails.
 *
 * A results file is data, often from someone else (a CI artifact of a pull request): it never chooses
 * a program to run. A record of an `exec:` or `qemu:` target (anything but the built-in reference,
 * models and mechanisms) is replayed only against a target named with --target on the command line.
 */
import { packagePath } from '../../core/package-root.ts';
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { readInputText } from '../../core/input-file.ts';
import { terminalSafe } from '../../core/terminal-text.ts';
import { readResults } from '../../results/read-results.ts';
import { compileSchemaFile } from '../../core/schema-validator.ts';
import type { Decision } from '../../generated/ts/schema/decision.ts';
import { openFrontendTarget } from '../../targets/create-target.ts';
import { TargetError } from '../../targets/device-target.ts';
import { isSkip } from '../../targets/frontend-target.ts';
import { parseTargetSpec, TargetSpecError } from '../../targets/target-spec.ts';
import { answerCase, answerCaseWithTarget } from '../../conformance/frontend/index.ts';
import { describeViolation, type CaseAnswers, type FrontendCase, type Violation } from '../../conformance/frontend/index.ts';
import { frontendProperties, frontendPropertyById } from '../../conformance/frontend/index.ts';
import { discoveryMechanism, mechanismProperties } from '../../conformance/mechanisms/index.ts';
import { mechanismFrontend } from '../../conformance/mechanisms/index.ts';
import type { CommandIo } from '../main.ts';

/** One line of help. */
export const summary = 're-run one counterexample (--from results.json --record ID, or --scenario FILE --target T --property P)';

const USAGE = `usage: xvc replay --from RESULTS --record ID [--target T]
       xvc replay --scenario FILE (--target T | --mechanism M) --property P

Re-runs one counterexample against a frontend target (reference, model:NAME, exec:COMMAND) or, for a
mechanism matrix cell, against the reference policy reading mechanism M, and prints the decisions and
the violation. RESULTS is a results.json, the results.jsonl of a killed run, or a directory holding
them. FILE holds the counterexample's "scenario" from results.json or xvc mechanisms --json (a bare
scenario.schema.json scenario works too, without the generator's expectations).
A results file never chooses a program to run: a record of an exec: or qemu: target is replayed
only against the target you name with --target (the recorded one is shown, never started).
Frontend properties: ${frontendProperties.map((property) => property.id).join(', ')}
Mechanism properties: ${mechanismProperties.map((property) => property.id).join(', ')}
Exit codes: 0 no longer violates, 1 still violates, 2 bad usage or input, 3 target error.
`;

/** Bad usage or an unusable input file: exit 2. */
class ReplayInputError extends Error {
  readonly code = 'XVC_REPLAY_INPUT';
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

interface ReplayRequest {
  testCase: FrontendCase;
  property: string;
  target?: string;
  mechanism?: string;
}

/** Targets xvc implements itself: opening them runs no program. */
function isBuiltinTarget(target: string): boolean {
  return target === 'reference' || target.startsWith('model:') || target.startsWith('mechanism:');
}

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

/**
 * The records of `path`: a results.json, or — for a killed run — its results.jsonl, a directory
 * holding them, or a results.json that was never written beside a results.jsonl.
 */
function recordsOf(path: string): unknown[] | undefined {
  const isDirectory = existsSync(path) && statSync(path).isDirectory();
  const jsonlBeside = !existsSync(path) && basename(path) === 'results.json' && existsSync(join(dirname(path), 'results.jsonl'));
  if (isDirectory || path.endsWith('.jsonl') || jsonlBeside) {
    const read = readResults(path);
    if (!read.ok) throw new ReplayInputError(read.error.message);
    return read.results.records;
  }
  const results = readJsonInput(path, 'results');
  return isObject(results) && Array.isArray(results.records) ? (results.records as unknown[]) : undefined;
}

async function fromResults(file: string, recordId: string): Promise<ReplayRequest & { recordedTarget?: string }> {
  const records = recordsOf(file);
  if (!records) throw new ReplayInputError(`${file} is not an xvc results file (no records)`);
  const record = records.find((candidate) => isObject(candidate) && candidate.id === recordId);
  if (!isObject(record)) throw new ReplayInputError(`${file} has no record '${recordId}'`);
  const evidence = Array.isArray(record.evidence) ? record.evidence.find((item) => isObject(item) && item.kind === 'counterexample') : undefined;
  if (!isObject(evidence)) throw new ReplayInputError(`record '${recordId}' carries no counterexample`);
  const property = typeof record.property === 'string' ? record.property : undefined;
  if (!property) throw new ReplayInputError(`record '${recordId}' names no property`);
  const mechanism = typeof record.mechanism === 'string' ? record.mechanism : undefined;
  const target = typeof record.target === 'string' ? record.target : undefined;
  if (mechanism) return { testCase: caseFrom(evidence.scenario), property, mechanism };
  if (target !== undefined && !isBuiltinTarget(target)) {
    // Not opened: the caller must name a target on the command line (see run()).
    return { testCase: caseFrom(evidence.scenario), property, recordedTarget: target };
  }
  return { testCase: caseFrom(evidence.scenario), property, ...(target ? { target } : {}) };
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

async function replay(request: ReplayRequest, io: CommandIo): Promise<number> {
  const mechanismId = request.mechanism ?? (request.target?.startsWith('mechanism:') ? request.target.slice('mechanism:'.length) : undefined);
  if (mechanismId !== undefined) {
    const mechanism = discoveryMechanism(mechanismId);
    if (!mechanism) throw new ReplayInputError(`unknown mechanism '${mechanismId}'`);
    const property = mechanismProperties.find((candidate) => candidate.id === request.property);
    if (!property) throw new ReplayInputError(`unknown mechanism property '${request.property}' (known: ${mechanismProperties.map((candidate) => candidate.id).join(', ')})`);
    const answers = answerCase(mechanismFrontend(mechanism), request.testCase);
    const violation = property.check(request.testCase, answers);
    io.stdout(renderReplay(`reference policy reading ${mechanismId}`, property.id, answers, violation));
    return violation ? 1 : 0;
  }
  const property = frontendPropertyById(request.property);
  if (!property) throw new ReplayInputError(`unknown property '${request.property}' (known: ${frontendProperties.map((candidate) => candidate.id).join(', ')})`);
  if (!request.target) throw new ReplayInputError('name a --target or a --mechanism');
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
    const violation = property.check(request.testCase, answers);
    io.stdout(terminalSafe(renderReplay(request.target, property.id, answers, violation), { multiline: true }));
    return violation ? 1 : 0;
  } finally {
    await target.close();
  }
}

/** Runs the command. */
export async function run(args: string[], io: CommandIo): Promise<number> {
  try {
    const { values } = parseArgs({
      args,
      options: {
        from: { type: 'string' },
        record: { type: 'string' },
        scenario: { type: 'string' },
        target: { type: 'string' },
        mechanism: { type: 'string' },
        property: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      io.stdout(USAGE);
      return 0;
    }
    let request: ReplayRequest;
    if (values.from !== undefined || values.record !== undefined) {
      if (values.from === undefined || values.record === undefined) throw new ReplayInputError('--from and --record go together');
      const fromFile = await fromResults(values.from, values.record);
      if (values.target !== undefined) request = { testCase: fromFile.testCase, property: values.property ?? fromFile.property, target: values.target };
      else if (fromFile.recordedTarget !== undefined) {
        throw new ReplayInputError(
          `record '${values.record}' was produced by the target ${JSON.stringify(fromFile.recordedTarget)}, which runs a program; ` +
            'xvc never starts a program named in a results file. Name the target to replay against yourself, e.g. ' +
            `xvc replay --from ${values.from} --record <ID> --target exec:./your-adapter`,
        );
      } else request = fromFile;
    } else {
      if (values.scenario === undefined || values.property === undefined) throw new ReplayInputError('give --from and --record, or --scenario and --property');
      if ((values.target === undefined) === (values.mechanism === undefined)) throw new ReplayInputError('give exactly one of --target and --mechanism');
      const parsed = readJsonInput(values.scenario, 'scenario');
      request = { testCase: caseFrom(parsed), property: values.property, ...(values.target !== undefined && { target: values.target }), ...(values.mechanism !== undefined && { mechanism: values.mechanism }) };
    }
    return await replay(request, io);
  } catch (error) {
    if (error instanceof TargetError) {
      io.stderr(`xvc replay: target error (${error.code}): ${terminalSafe(error.message)}\n${terminalSafe(error.details.stderr ?? '', { multiline: true })}`);
      return 3;
    }
    if (error instanceof ReplayInputError || (error instanceof TypeError && 'code' in error && String((error as { code: unknown }).code).startsWith('ERR_PARSE_ARGS'))) {
      io.stderr(`xvc replay: ${terminalSafe(error.message)}\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}
