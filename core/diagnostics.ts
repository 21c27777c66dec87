/**
 * Every diagnostic the spec loader can report, with a stable code. Codes never change meaning;
 * new problems get new codes. Tests and tools match on `code`, never on message text.
 */
export const specDiagnostics = {
  yamlSyntax: { code: 'XVC1001', title: 'YAML syntax error' },
  schemaViolation: { code: 'XVC1002', title: 'does not match the JSON Schema for this kind of spec file' },
  duplicateName: { code: 'XVC1003', title: 'duplicate name' },
  unknownReference: { code: 'XVC1004', title: 'unknown referenced name' },
  overlappingFields: { code: 'XVC1005', title: 'fields overlap' },
  fieldPastSize: { code: 'XVC1006', title: 'field extends past the layout size' },
  unsatisfiableConstraint: { code: 'XVC1007', title: 'constraints no value can satisfy together' },
  unknownVersion: { code: 'XVC1008', title: 'unknown spec version' },
  invalidWidth: { code: 'XVC1009', title: 'width does not fit the field type' },
  unknownSpecFamily: { code: 'XVC1010', title: 'unknown spec family' },
  fileNameMismatch: { code: 'XVC1011', title: 'file name does not match the layout name' },
  unknownRequirement: { code: 'XVC1012', title: 'unknown requirement id' },
  invalidUnion: { code: 'XVC1013', title: 'union cases are inconsistent' },
  readFailure: { code: 'XVC1014', title: 'spec file could not be read' },
  uncoveredBits: { code: 'XVC1015', title: 'bits of a layout belong to no field' },
  aliasExpansion: { code: 'XVC1016', title: 'YAML aliases expand beyond the bound' },
  notNestable: { code: 'XVC1017', title: 'a union or variable-size layout is nested in another layout' },
  recursiveLayout: { code: 'XVC1018', title: 'a layout contains itself' },
  constraintOnNonInteger: { code: 'XVC1019', title: 'constraints on a field that is not an integer' },
  constraintOutsideWidth: { code: 'XVC1020', title: 'a constraint no value of the field width meets' },
  unalignedField: { code: 'XVC1021', title: 'a field that must start on a byte boundary starts inside a byte' },
} as const;

/** Name of one diagnostic in {@link specDiagnostics}. */
export type SpecDiagnosticName = keyof typeof specDiagnostics;
/** Stable code of one spec diagnostic, e.g. `XVC1005`. */
export type SpecDiagnosticCode = (typeof specDiagnostics)[SpecDiagnosticName]['code'];
