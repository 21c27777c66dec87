/**
 * The public API of reports/: what `xvc run` and other commands use to record, judge and render
 * results. Everything is rendered from the one result model (result-model.ts).
 */
export * from './result-model.ts';
export { openResultsStream, writeReports, assembleResults, toResultRecord, quarantineRecord, resultsJsonlName } from './results-stream.ts';
export type { ResultsStream, RecordInput, RunMetadataInput, FinishOptions } from './results-stream.ts';
export { readResults, readResultsJson, readResultsJsonl, ResultsInputError, type ReadResults } from './read-results.ts';
export { applyExpectations, loadExpectations, parseExpectations, isExpired, type Expectations, type ExpectationEntry, type ExpectationsLoad } from './expectations.ts';
export { verdict, judge, type ExitCode, type Verdict } from './verdict.ts';
export { mergeResults, type MergePart, type MergeOutcome } from './merge-results.ts';
export { compareResults, type Comparison, type RecordChange } from './compare-results.ts';
export { buildMechanismMatrix } from './mechanism-matrix.ts';
export { validateResults, validateRecord, InvalidResultsError, resultsSchemaFile } from './validate-results.ts';
export { recordsSha256 } from './records-hash.ts';
export { countOutcomes, formatCounts, type OutcomeCounts } from './outcome-counts.ts';
export { renderReport, reportFormats, reportFileNames, isReportFormat, type ReportFormat } from './writers/index.ts';
export { renderMarkdown, type MarkdownOptions } from './writers/markdown.ts';
export { renderHtml } from './writers/html.ts';
export { renderJunit } from './writers/junit.ts';
export { renderEarl } from './writers/earl.ts';
export { renderJson } from './writers/json.ts';
