/** Every report format, by name, with the file a run writes it to. */
import type { RunResults } from '../result-model.ts';
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
  json: 'results.json',
  junit: 'junit.xml',
  md: 'summary.md',
  html: 'report.html',
  earl: 'earl.jsonld',
};

/** True when `name` is a report format. */
export function isReportFormat(name: string): name is ReportFormat {
  return (reportFormats as readonly string[]).includes(name);
}

/** Renders results in one format. */
export function renderReport(format: ReportFormat, results: RunResults): string {
  switch (format) {
    case 'json':
      return renderJson(results);
    case 'junit':
      return renderJunit(results);
    case 'md':
      return renderMarkdown(results);
    case 'html':
      return renderHtml(results);
    case 'earl':
      return renderEarl(results);
  }
}
