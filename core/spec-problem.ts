import { specDiagnostics, type SpecDiagnosticCode, type SpecDiagnosticName } from './diagnostics.ts';
import { formatPosition, type SourcePosition } from './source-position.ts';
import { XvcError } from './xvc-error.ts';

/** One problem found in a spec file, located at the YAML node that causes it. */
export interface SpecProblem extends SourcePosition {
  code: SpecDiagnosticCode;
  /** JSON path of the offending node inside the file, e.g. `["layout","fields",3,"offset"]`. */
  path: (string | number)[];
  message: string;
}

/** Builds a {@link SpecProblem} for a named diagnostic. */
export function specProblem(
  name: SpecDiagnosticName,
  at: SourcePosition,
  path: (string | number)[],
  message: string,
): SpecProblem {
  return { code: specDiagnostics[name].code, file: at.file, line: at.line, column: at.column, path, message };
}

/** Renders a problem as one line: `file:line:column XVC1005 message`. */
export function formatSpecProblem(problem: SpecProblem): string {
  return `${formatPosition(problem)} ${problem.code} ${problem.message}`;
}

/** Thrown by loaders when a spec directory has problems; carries every problem, not just the first. */
export class SpecLoadError extends XvcError<'specInvalid'> {
  constructor(readonly problems: readonly SpecProblem[]) {
    super('specInvalid', `spec has ${problems.length} problem(s):\n${problems.map(formatSpecProblem).join('\n')}`, { problems });
  }
}
