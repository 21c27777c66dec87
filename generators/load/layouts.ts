/**
 * Resolves the layout files of spec/ once every file is read (layout-files.ts): collects the
 * definitions, resolves the width of nested fields, and runs every check that needs more than one
 * file. Each job is its own module; this one orders them.
 */
import type { SpecProblem } from '../../core/spec-problem.ts';
import type { LayoutFileModel } from '../model/spec-model.ts';
import { collectDefinitions, type Definitions } from './definitions.ts';
import { checkFields, checkReferences } from './field-checks.ts';
import { checkCoverage } from './layout-coverage.ts';
import { nestedWidthResolver } from './nested-widths.ts';
import { checkUnion } from './union-checks.ts';
import { specProblem } from '../../core/spec-problem.ts';

/** What {@link resolveLayouts} finds: the definitions, and every problem. */
export interface ResolvedLayouts extends Definitions {
  problems: SpecProblem[];
}

/**
 * Resolves references between files and runs every semantic check. Mutates nothing but the `bits`
 * of nested-layout and array fields (their width is known only once the nested layout is).
 * `knownRequirements`, when given, is the catalogue `requirement:` references are checked against.
 */
export function resolveLayouts(
  files: LayoutFileModel[],
  versions: Map<string, string[]>,
  knownRequirements: ReadonlySet<string> | undefined,
): ResolvedLayouts {
  const problems: SpecProblem[] = [];
  const definitions = collectDefinitions(files, versions, problems);
  const resolveWidth = nestedWidthResolver(definitions.layouts, problems);
  for (const layout of definitions.layouts.values()) {
    if (layout.kind === 'union') {
      checkUnion(layout, definitions.layouts, problems);
      continue;
    }
    for (const field of layout.fields) {
      checkReferences(field, definitions, problems);
      resolveWidth(field);
      if (field.requirement !== undefined && knownRequirements && !knownRequirements.has(field.requirement)) {
        problems.push(specProblem('unknownRequirement', field.at, [], `field ${field.specName}: requirement '${field.requirement}' is not in spec/requirements`));
      }
    }
    checkFields(layout, definitions, problems);
    checkCoverage(layout, problems);
  }
  return { problems, ...definitions };
}
