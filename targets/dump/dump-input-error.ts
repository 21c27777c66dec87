import { TargetError } from '../device-target.ts';
import type { DumpParseError } from './dump-parse-error.ts';

/** How many problems a {@link DumpInputError} names in its message (all are in `problems`). */
const NAMED_PROBLEMS = 5;

/**
 * A dump path that does not parse: bad input (exit code 2), reported once before anything runs. A
 * `TargetError('targetInput')` located at the first problem (file, line, column), carrying every
 * problem of error severity as data.
 */
export class DumpInputError extends TargetError {
  readonly problems: readonly DumpParseError[];

  constructor(spec: string, problems: readonly DumpParseError[]) {
    const first = problems[0]!;
    const named = problems.slice(0, NAMED_PROBLEMS).map((problem) => problem.located);
    const more = problems.length > NAMED_PROBLEMS ? [`... and ${problems.length - NAMED_PROBLEMS} more`] : [];
    super('targetInput', `${spec} does not parse (${problems.length} problem(s)):\n${[...named, ...more].join('\n')}`, {
      file: first.file,
      ...(first.line > 0 && { line: first.line, column: first.column }),
    });
    this.name = 'DumpInputError';
    this.problems = problems;
  }
}
