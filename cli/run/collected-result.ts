import type { RecordInput } from '../../results/results-stream.ts';

/** Outcome of one conformance check, as the result model names them. */
export type { Outcome } from '../../results/result-model.ts';

/**
 * One finished conformance test for one requirement and one target: exactly what the results
 * stream takes, so the run hands results over without translating them.
 */
export type CollectedResult = RecordInput & { file: string };
