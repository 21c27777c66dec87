/**
 * `xvc replay`: re-runs one counterexample and says whether it still breaks its property.
 *   xvc replay --from results.json --record ID
 *   xvc replay --scenario FILE (--target T | --mechanism M) --property P
 * The case comes from the record's counterexample evidence, or from FILE (a case as the evidence holds
 * it, the evidence itself, a matrix cell's counterexample, or a bare scenario). It is asked of the
 * target (or of the reference policy reading mechanism M), and the decisions and the violation are
 * printed. Exit 1 when the case still violates, 0 when not, 2 on bad usage or input, 3 when the target
 * fails.
 */
import { packagePath } from '../../core/package-root.ts';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
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

const USAGE = `usage: xvc replay --from results.json --record ID
       xvc replay --scenario FILE (--target T | --mechanism M) --property P

Re-runs one counterexample against a frontend target (reference, model:NAME, exec:COMMAND) or, for a
mechanism matrix cell, against the reference policy reading mechanism M, and prints the decisions and
the violation. FILE holds the counterexample's "scenario" from results.json or xvc mechanisms --json
(a bare scenario.schema.json scenario works too, without the generator's expectations).
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

async function fromResults(file: string, recordId: string): Promise<ReplayRequest> {
  let results: unknown;
  try {
    results = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new ReplayInputError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const records = isObject(results) && Array.isArray(results.records) ? (results.records as unknown[]) : undefined;
  if (!records) throw new ReplayInputError(`${file} is not an xvc results file (no records)`);
  const record = records.find((candidate) => isObject(candidate) && candidate.id === recordId);
  if (!isObject(record)) throw new ReplayInputError(`${file} has no record '${recordId}'`);
  const evidence = Array.isArray(record.evidence) ? record.evidence.find((item) => isObject(item) && item.kind === 'counterexample') : undefined;
  if (!isObject(evidence)) throw new ReplayInputError(`record '${recordId}' carries no counterexample`);
  const property = typeof record.property === 'string' ? record.property : undefined;
  if (!property) throw new ReplayInputError(`record '${recordId}' names no property`);
  const mechanism = typeof record.mechanism === 'string' ? record.mechanism : undefined;
  const target = typeof record.target === 'string' ? record.target : undefined;
  return { testCase: caseFrom(evidence.scenario), property, ...(mechanism ? { mechanism } : target ? { target } : {}) };
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
      io.stdout(`${request.target} declined the case: ${answers.reason}\n`);
      return 0;
    }
    const violation = property.check(request.testCase, answers);
    io.stdout(renderReplay(request.target, property.id, answers, violation));
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
      request = await fromResults(values.from, values.record);
      if (values.target !== undefined) request = { testCase: request.testCase, property: values.property ?? request.property, target: values.target };
    } else {
      if (values.scenario === undefined || values.property === undefined) throw new ReplayInputError('give --from and --record, or --scenario and --property');
      if ((values.target === undefined) === (values.mechanism === undefined)) throw new ReplayInputError('give exactly one of --target and --mechanism');
      let parsed: unknown;
      try {
        parsed = JSON.parse(await readFile(values.scenario, 'utf8'));
      } catch (error) {
        throw new ReplayInputError(`cannot read ${values.scenario}: ${error instanceof Error ? error.message : String(error)}`);
      }
      request = { testCase: caseFrom(parsed), property: values.property, ...(values.target !== undefined && { target: values.target }), ...(values.mechanism !== undefined && { mechanism: values.mechanism }) };
    }
    return await replay(request, io);
  } catch (error) {
    if (error instanceof TargetError) {
      io.stderr(`xvc replay: target error (${error.code}): ${error.message}\n${error.details.stderr ?? ''}`);
      return 3;
    }
    if (error instanceof ReplayInputError || (error instanceof TypeError && 'code' in error && String((error as { code: unknown }).code).startsWith('ERR_PARSE_ARGS'))) {
      io.stderr(`xvc replay: ${error.message}\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}
