/** A position in a source file, 1-based line and column as editors show them. */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

/** Renders a position as `file:line:column`, the form editors and CI annotations understand. */
export function formatPosition(position: SourcePosition): string {
  return `${position.file}:${position.line}:${position.column}`;
}
