/**
 * Public entry of conformance/mechanisms/: what other layers use of it. Modules elsewhere import from here,
 * never from the files behind it (test-support/architecture checks this).
 */
export { computeMechanismMatrix, type MatrixCell, type MechanismMatrix, discoveryMechanism, mechanismProperties, runMechanismCell } from './matrix.ts';
export { mechanismFrontend } from './mechanism-policy.ts';
export { computeTargetMatrix, declares, runTargetMechanismCell, targetMatrixCells, targetMatrixColumns, type TargetMatrixCell, type TargetMatrixResult } from './target-matrix.ts';
export { targetMatrixCases } from './target-matrix-cases.ts';
