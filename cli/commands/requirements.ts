/**
 * `xvc requirements [--json] [--check]`: every requirement with its coverage by the suites. With
 * `--check` (what CI runs) the exit code is 1 when a testable requirement has no test.
 */
import { categoryExitCodes } from '../../core/diagnostics.ts';
import { packageRoot } from '../../core/package-root.ts';
import { terminalSafe } from '../../core/terminal-text.ts';
import { resolve } from 'node:path';
import type { CommandIo } from '../main.ts';
import { requirements } from '../../generated/ts/requirements.ts';
import { computeCoverage, uncoveredTestableRequirements } from '../../conformance/coverage.ts';
import { declaredTests } from '../run/declared-tests.ts';
import { commandUsage, parseCommandArgs } from '../command-options.ts';

/** Help text of `xvc requirements` (spec/commands.yaml). */
export const usage = commandUsage('requirements');

/** Runs the command. */
export async function run(args: string[], io: CommandIo): Promise<number> {
  const parsed = parseCommandArgs('requirements', args);
  if (!parsed.ok) {
    io.stderr(`xvc requirements: ${terminalSafe(parsed.message)}\n${usage}`);
    return categoryExitCodes.usage;
  }
  const { values } = parsed;
  if (values.help) {
    io.stdout(usage);
    return 0;
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
    for (const error of errors) io.stderr(`suite error: ${terminalSafe(error, { multiline: true })}\n`);
  }
  if (errors.length > 0 || report.unknown.length > 0) return 3;
  return values.check && uncovered.length > 0 ? 1 : 0;
}
