import type { RecordInput } from '../../reports/results-stream.ts';

/** Outcome of one conformance check, as the result model names them. */
export type { Outcome } from '../../reports/result-model.ts';

/**
 * One finished conformance test for one requirement and one target: exactly what the results
 * stream takes, so the run hands results over without translating them.
 */
export type CollectedResult = RecordInput & { file: string };
