/**
 * Declaring conformance tests. Every conformance test names the requirement ids it checks; an id the
 * catalogue does not know stops collection of the file with {@link UnknownRequirementError}, so a
 * typo can never produce a test that silently covers nothing. The ids travel on the vitest task
 * (`task.meta.requirements`, which reporters and the JSON reporter see) and as a test annotation.
 */
import { XvcError } from '../../core/xvc-error.ts';
import fc from 'fast-check';
import { test, type TestContext, type TestOptions } from 'vitest';
import { seedFromEnvironment } from '../../core/seed.ts';
import { isKnownRequirement, type RequirementId } from '../../conformance/requirement-catalogue.ts';

/** Annotation type under which the requirement ids of a test are recorded. */
export const requirementAnnotationType = 'xvc:requirements';

/** A conformance test names an id the catalogue does not define. */
export class UnknownRequirementError extends XvcError<'testNamesUnknownRequirement'> {
  constructor(
    readonly testName: string,
    readonly unknownIds: readonly string[],
  ) {
    super('testNamesUnknownRequirement', `conformance test '${testName}' names requirement id(s) not in spec/requirements: ${unknownIds.join(', ')}`, { testName, unknownIds });
  }
}

/** A conformance test names no requirement at all, so it could never count as coverage. */
export class MissingRequirementError extends XvcError<'testNamesNoRequirement'> {
  constructor(readonly testName: string) {
    super('testNamesNoRequirement', `conformance test '${testName}' names no requirement id`, { testName });
  }
}

/**
 * Checks the ids of one test against the catalogue and returns them de-duplicated, in the order given.
 * Throws {@link MissingRequirementError} or {@link UnknownRequirementError}.
 */
export function checkRequirementIds(ids: readonly RequirementId[], testName: string): string[] {
  const unique = [...new Set(ids)];
  if (unique.length === 0) throw new MissingRequirementError(testName);
  const unknown = unique.filter((id) => !isKnownRequirement(id));
  if (unknown.length > 0) throw new UnknownRequirementError(testName, unknown);
  return unique;
}

/** Options of a conformance test: vitest's, minus `meta`, which carries the requirement ids. */
export type ConformanceOptions = Omit<TestOptions, 'meta'>;

/** Body of a conformance test; receives vitest's test context. */
export type ConformanceBody = (context: TestContext) => unknown;

/**
 * Declares a vitest test that checks the requirements `ids`. Validates the ids immediately (at
 * collection), stores them in `task.meta.requirements` and annotates the test with them.
 */
export function conformance(
  ids: readonly RequirementId[],
  name: string,
  body: ConformanceBody,
  options: ConformanceOptions = {},
): void {
  const requirements = checkRequirementIds(ids, name);
  test(name, { ...options, meta: { requirements } }, async (context) => {
    await context.annotate(requirements.join(', '), requirementAnnotationType);
    await body(context);
  });
}

/**
 * Declares a conformance test that asserts a fast-check property with the project's seed
 * (`XVC_SEED`) and shrinking on, so a counterexample in a report can be replayed.
 */
export function conformanceProperty<Ts>(
  ids: readonly RequirementId[],
  name: string,
  property: fc.IProperty<Ts> | fc.IAsyncProperty<Ts>,
  parameters: fc.Parameters<Ts> = {},
  options: ConformanceOptions = {},
): void {
  conformance(ids, name, () => fc.assert(property, { seed: seedFromEnvironment(), ...parameters }), options);
}
