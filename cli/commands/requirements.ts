/**
 * `xvc requirements [--json] [--check]`: every requirement with its coverage by the suites. With
 * `--check` (what CI runs) the exit code is 1 when a testable requirement has no test.
 */
import { packageRoot } from '../../core/package-root.ts';
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import type { CommandIo } from '../main.ts';
import { requirements } from '../../generated/ts/requirements.ts';
import { computeCoverage, uncoveredTestableRequirements } from '../../conformance/coverage.ts';
import { declaredTests } from '../run/declared-tests.ts';

/** Help text of `xvc requirements` (`xvc requirements --help`, `xvc help requirements`). */
export const usage = `usage: xvc requirements [--json] [--check]

Lists every requirement of spec/requirements/ with its level, side and coverage: the conformance
tests that name it, or why it cannot be tested.
  --json    print one JSON object: counts, uncovered ids, unknown ids, and every requirement
  --check   exit 1 when a testable requirement has no test (what CI runs)
Exit codes: 0 listed (and, with --check, every testable requirement covered), 1 uncovered with
--check, 2 bad usage, 3 a suite's cases could not be enumerated or a test names an unknown id.
`;

/** Runs the command. */
export async function run(args: string[], io: CommandIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args, options: { json: { type: 'boolean' }, check: { type: 'boolean' } }, strict: true }));
  } catch (error) {
    io.stderr(`xvc requirements: ${error instanceof Error ? error.message : String(error)}\n${usage}`);
    return 2;
  }
  const repoRoot = packageRoot;
  const { tests, errors } = await declaredTests(repoRoot);
  const report = computeCoverage(requirements, tests);
  const uncovered = uncoveredTestableRequirements(report);
  if (values.json) {
    io.stdout(`${JSON.stringify({ counts: report.counts, uncovered, unknown: report.unknown, errors, requirements: report.requirements }, null, 2)}\n`);
  } else {
    const byId = new Map(requirements.map((requirement) => [requirement.id, requirement]));
    for (const entry of report.requirements) {
      const requirement = byId.get(entry.id as (typeof requirements)[number]["id"]);
      const status =
        entry.status === 'covered'
          ? `covered by ${entry.tests.length} test(s)`
          : entry.status === 'untestable'
            ? `not testable: ${entry.reason}`
            : 'NOT COVERED';
      io.stdout(`${entry.id.padEnd(14)} ${(requirement?.level ?? '').padEnd(10)} ${(requirement?.side ?? '').padEnd(10)} ${status}\n`);
    }
    io.stdout(
      `\n${report.counts.covered} covered, ${report.counts.uncovered} not covered, ${report.counts.untestable} not testable` +
        (report.unknown.length > 0 ? `, ${report.unknown.length} unknown id(s) in tests` : '') +
        '\n',
    );
    for (const error of errors) io.stderr(`suite error: ${error}\n`);
  }
  if (errors.length > 0 || report.unknown.length > 0) return 3;
  return values.check && uncovered.length > 0 ? 1 : 0;
}
