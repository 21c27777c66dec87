import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  checkRequirementIds,
  conformance,
  conformanceProperty,
  MissingRequirementError,
  requirementAnnotationType,
  UnknownRequirementError,
} from './requirement-test.ts';

// These tests use the real wrapper with real catalogue ids: they are themselves conformance tests
// whose bodies inspect their own task.
conformance(['PCI-DEV-02'], 'records a real requirement id on the task meta', ({ task }) => {
  expect(task.meta.requirements).toEqual(['PCI-DEV-02']);
});

conformance(['PCI-DEV-11', 'PCI-DEV-33', 'PCI-DEV-11'], 'records several ids once each, in order', ({ task }) => {
  expect(task.meta.requirements).toEqual(['PCI-DEV-11', 'PCI-DEV-33']);
});

conformance(['PCI-DEV-12'], 'annotates the test with its ids', ({ task }) => {
  // The wrapper annotates before the body runs.
  expect(task.annotations).toContainEqual(expect.objectContaining({ message: 'PCI-DEV-12', type: requirementAnnotationType }));
});

conformanceProperty(
  ['PCI-DEV-25'],
  'runs a fast-check property under the wrapper',
  fc.property(fc.integer({ min: 0, max: 30 }), (shift) => (2 ** shift) % 1 === 0),
);

describe('unknown or missing ids', () => {
  test('an unknown id throws UnknownRequirementError before any test is registered', () => {
    let caught: unknown;
    try {
      // The type checker already refuses the id; the check at collection covers JavaScript callers.
      // @ts-expect-error PCI-DEV-99 is not a RequirementId
      conformance(['PCI-DEV-02', 'PCI-DEV-99'], 'names an id nobody defined', () => undefined);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UnknownRequirementError);
    expect(caught).toMatchObject({ code: 'XVC9021', testName: 'names an id nobody defined', unknownIds: ['PCI-DEV-99'] });
  });

  test('conformanceProperty checks ids the same way', () => {
    // @ts-expect-error XEN-INV-999 is not a RequirementId
    expect(() => conformanceProperty(['XEN-INV-999'], 'bad', fc.property(fc.boolean(), () => true))).toThrow(UnknownRequirementError);
  });

  test('no id at all is a MissingRequirementError', () => {
    expect(() => checkRequirementIds([], 'empty')).toThrow(MissingRequirementError);
  });

  test('known ids pass through', () => {
    expect(checkRequirementIds(['PCI-LEG-09'], 'known')).toEqual(['PCI-LEG-09']);
  });
});

// `fails: true` inverts the outcome: this passes only if a false property really fails the test.
conformanceProperty(
  ['PCI-DEV-25'],
  'a false property fails the conformance test',
  fc.property(fc.integer(), (value) => value < 10),
  {},
  { fails: true },
);
