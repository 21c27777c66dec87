/** Every report format, by name, with the file a run writes it to, and writing them. */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.ts';
import type { RunResults } from '../results/result-model.ts';
import { resultsJsonName } from '../results/results-stream.ts';
import { renderEarl } from './earl.ts';
import { renderHtml } from './html.ts';
import { renderJson } from './json.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';

/** Names `xvc report --format` accepts. */
export const reportFormats = ['json', 'junit', 'md', 'html', 'earl'] as const;
/** One report format. */
export type ReportFormat = (typeof reportFormats)[number];

/** File name a run gives each format in its output directory. */
export const reportFileNames: Record<ReportFormat, string> = {
  json: resultsJsonName,
  junit: 'junit.xml',
  md: 'summary.md',
  html: 'report.html',
  earl: 'earl.jsonld',
};

/** True when `name` is a report format. */
export function isReportFormat(name: string): name is ReportFormat {
  return (reportFormats as readonly string[]).includes(name);
}

/** What every writer may be told besides the results. */
export interface RenderOptions {
  /**
   * Where a reader reaches the results (as given to `xvc report --from`, or the directory of a
   * merge): replay commands name it. Default: the commands the results recorded (the run's --out).
   */
  replayFrom?: string;
}

/** Renders results in one format. */
export function renderReport(format: ReportFormat, results: RunResults, options: RenderOptions = {}): string {
  switch (format) {
    case 'json':
      return renderJson(results);
    case 'junit':
      return renderJunit(results, options);
    case 'md':
      return renderMarkdown(results, options);
    case 'html':
      return renderHtml(results, options);
    case 'earl':
      return renderEarl(results, options);
  }
}

/** Removes the reports of an earlier run from `outDir`, so that a killed run leaves none that look current. */
export function removeReports(outDir: string): void {
  for (const name of Object.values(reportFileNames)) rmSync(join(outDir, name), { force: true });
}

/** Writes results.json (validated first) and the other reports, each atomically; returns the paths. */
export function writeReports(outDir: string, results: RunResults, formats: readonly ReportFormat[] = reportFormats, options: RenderOptions = {}): Record<ReportFormat, string> {
  mkdirSync(outDir, { recursive: true });
  const written: Partial<Record<ReportFormat, string>> = {};
  // results.json first: it is the source every other report can be rebuilt from.
  for (const format of ['json', ...formats.filter((format) => format !== 'json')] as ReportFormat[]) {
    const file = join(outDir, reportFileNames[format]);
    writeFileAtomic(file, renderReport(format, results, options));
    written[format] = file;
  }
  return written as Record<ReportFormat, string>;
}
