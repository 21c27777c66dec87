import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { reportPageScript } from '../generated/report/html-app.ts';
import { countOutcomes } from '../results/outcome-counts.ts';
import type { RunResults } from '../results/result-model.ts';
import { judge } from '../results/verdict.ts';
import { htmlPayload, sampleResults, scriptPayload } from '../test-support/sample-results.ts';
import { renderHtml, type ReportPageData } from './html.ts';

const sha256 = (text: string, encoding: 'hex' | 'base64') => createHash('sha256').update(text, 'utf8').digest(encoding);

/** The parts of the page a browser acts on. */
function parts(page: string) {
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(page)![1]!.replace(/&#39;/g, "'");
  const style = /<style>([\s\S]*?)<\/style>/.exec(page)![1]!;
  const scripts = [...page.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)].map((match) => ({ attributes: match[1]!, body: match[2]! }));
  return { csp, style, scripts };
}

describe('renderHtml', () => {
  it('lets only its own inline script and style run: the policy names their sha256 and allows nothing else', () => {
    const { csp, style, scripts } = parts(renderHtml(sampleResults()));
    const code = scripts.find((script) => !script.attributes.includes('application/json'))!;
    expect(code.body).toBe(reportPageScript);
    expect(csp).toContain(`script-src 'sha256-${sha256(code.body, 'base64')}'`);
    expect(csp).toContain(`style-src 'sha256-${sha256(style, 'base64')}'`);
    expect(csp).toMatch(/^default-src 'none';/);
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("form-action 'none'");
  });

  it("keeps a target's hostile text inside the JSON data, where it cannot end the element or become markup", () => {
    const page = renderHtml(sampleResults());
    const { scripts } = parts(page);
    // Exactly two script elements: a payload closing the data element would make a third.
    expect(scripts).toHaveLength(2);
    expect(page).not.toContain(htmlPayload);
    expect(page).not.toContain(scriptPayload);
    const data = JSON.parse(scripts[0]!.body) as ReportPageData;
    expect(JSON.stringify(data.results)).toContain(JSON.stringify(htmlPayload).slice(1, -1));
  });

  it('hands the page the results, the counts, short ids and replay commands it shows', () => {
    const results = sampleResults();
    const { scripts } = parts(renderHtml(results, { replayFrom: 'runs/ci-42' }));
    const data = JSON.parse(scripts[0]!.body) as ReportPageData;
    expect(data.results).toEqual(JSON.parse(JSON.stringify(results)) as RunResults);
    expect(data.counts).toEqual(countOutcomes(results.records));
    // A short id is the start of the sha256 of the record id.
    data.shortIds.forEach((short, index) => expect(sha256(results.records[index]!.id, 'hex').startsWith(short)).toBe(true));
    expect(data.replays).toHaveLength(results.records.length);
    const withCounterexample = results.records.findIndex((record) => (record.evidence ?? []).some((evidence) => evidence.kind === 'counterexample'));
    expect(withCounterexample).toBeGreaterThanOrEqual(0);
    expect(data.replays[withCounterexample]).toContain('runs/ci-42');
    expect(data.replays.filter((replay, index) => replay !== null && !(results.records[index]!.evidence ?? []).some((evidence) => evidence.kind === 'counterexample'))).toEqual([]);
  });

  it('titles the page with the verdict of the results', () => {
    for (const results of [sampleResults(), { ...sampleResults(), records: [] }]) {
      expect(renderHtml(results)).toContain(`<title>xvc report: ${judge(results).headline}</title>`);
    }
  });
});
