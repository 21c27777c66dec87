/**
 * HTML writer: one self-contained page (inline CSS and script, no network access; a CSP forbids
 * any other script and every fetch). The results are embedded as JSON in a
 * `<script type="application/json">` element with `<` escaped, and the page's own script builds the
 * DOM with textContent only, so strings from targets cannot become markup or script.
 */
import { createHash } from 'node:crypto';
import { describeDiagnosticCode } from '../core/diagnostics.ts';
import { reportPageScript as appScript } from '../generated/report/html-app.ts';
import { countOutcomes, type OutcomeCounts } from '../results/outcome-counts.ts';
import { replayCommands, replayStartsProgram } from '../results/replay-command.ts';
import type { Outcome, RunResults } from '../results/result-model.ts';
import { shortRecordIds } from '../results/short-record-id.ts';
import { judge } from '../results/verdict.ts';
import { escapeHtml, jsonForScriptElement } from './escape.ts';
import { outcomeMeaning } from './outcome-style.ts';
import { provenanceRows, type ProvenanceRow } from './provenance.ts';

/** What the page script reads from the page's JSON data element. */
export interface ReportPageData {
  results: RunResults;
  verdict: { exitCode: number; headline: string };
  counts: OutcomeCounts;
  provenance: ProvenanceRow[];
  meaning: Readonly<Record<Outcome, string>>;
  /** Each record's short id, by its position in `results.records`. */
  shortIds: string[];
  /** Each record's replay command (null without a counterexample), by position. */
  replays: (string | null)[];
  /** Targets whose replay starts a program again (the page says so beside the command). */
  programTargets: string[];
  /** Each harness evidence code of the records as the page shows it: `XVC4001 targetCrashed` (core/diagnostics.ts). */
  harnessCodes: Record<string, string>;
}

/** Options of {@link renderHtml}. */
export interface HtmlOptions {
  /** Where the results are, for the replay commands (default: as the results recorded them). */
  replayFrom?: string;
}

const styles = `
:root { --fg:#1d2228; --muted:#5b6570; --line:#d9dee3; --bg:#ffffff; --panel:#f5f7f9;
  --pass:#1a7f37; --fail:#cf222e; --error:#bc4c00; --xfail:#6e7781; --xpass:#8250df; --warning:#9a6700; --skip:#8c959f; --na:#afb8c1; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; color:var(--fg); background:var(--bg); }
#app { max-width: 1280px; margin: 0 auto; padding: 0 20px 40px; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
code { font-family: ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; font-size: 12.5px; word-break: break-all; }
.verdict { margin: 0 -20px; padding: 18px 20px 12px; border-bottom: 4px solid var(--xfail); background: var(--panel); }
.verdict.ok { border-color: var(--pass); } .verdict.bad { border-color: var(--fail); } .verdict.warn { border-color: var(--error); }
.headline { font-size: 16px; font-weight: 600; margin: 0 0 6px; }
.counts .count, .legend .count { margin-right: 14px; white-space: nowrap; }
.banner { background:#fff8c5; border:1px solid #d4a72c; padding:8px 12px; border-radius:6px; }
.badge { display:inline-block; min-width:44px; text-align:center; padding:1px 7px; border-radius:10px; font-size:12px; font-weight:600; color:#fff; }
.o-pass { background:var(--pass); } .o-fail { background:var(--fail); } .o-error { background:var(--error); }
.o-xfail { background:var(--xfail); } .o-xpass { background:var(--xpass); } .o-warning { background:var(--warning); } .o-skip { background:var(--skip); } .o-inapplicable { background:var(--na); color:#24292f; }
.toc { display:flex; flex-wrap:wrap; gap: 4px 16px; padding: 8px 0; border-bottom: 1px solid var(--line); }
.toc a { color: var(--fg); }
details.section { margin: 18px 0 0; border-top: 1px solid var(--line); }
details.section > summary { cursor: pointer; list-style: revert; padding: 6px 0; }
details.section > summary h2 { display: inline; border: 0; margin: 0; padding: 0; }
.section-body { padding: 4px 0 10px; }
.statement, .condition { margin: 6px 0; }
.note { color: var(--muted); }
.tag { display:inline-block; font-size: 11px; padding: 0 5px; border-radius: 8px; background: var(--panel); border: 1px solid var(--line); }
tr.declared > th { background: #eef6ff; }
.summary td.num { text-align: right; } .summary td.bad { color: var(--fail); font-weight: 700; }
.linkish { border: 0; background: none; padding: 0; cursor: pointer; font: 12.5px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; color: #0550ae; text-decoration: underline; text-align: left; }
.filters { position: sticky; top: 0; z-index: 2; background: var(--bg); padding: 10px 0; border-bottom: 1px solid var(--line); display:flex; flex-wrap:wrap; gap:10px; align-items:center; }
.filters select, .filters input { font: inherit; padding: 3px 6px; border:1px solid var(--line); border-radius:6px; background:#fff; }
.filters input { min-width: 220px; } .shown { color: var(--muted); margin-left:auto; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; }
.matrix th, .matrix td, .facts th, .facts td, .provenance th, .provenance td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
.matrix thead th { background: var(--panel); font-weight: 600; }
/* The first column (requirement, mechanism, target) stays in view while a wide matrix scrolls sideways. */
.matrix .sticky { position: sticky; left: 0; z-index: 1; background: var(--bg); box-shadow: 1px 0 0 var(--line); }
.matrix thead .sticky { background: var(--panel); z-index: 2; }
.matrix .cell { text-align: center; vertical-align: middle; }
.matrix thead code { word-break: normal; overflow-wrap: anywhere; }
.matrix th.target { min-width: 96px; max-width: 180px; }
.matrix .impl, .matrix .title { font-weight: normal; color: var(--muted); font-size: 12px; max-width: 260px; }
.cellbtn { border: 0; background: none; padding: 0; cursor: pointer; }
.untrusted { color: var(--fail); font-weight: 600; }
.none { color: var(--muted); }
details.record { border: 1px solid var(--line); border-radius: 6px; margin: 6px 0; background: #fff; }
details.record > summary { padding: 6px 10px; cursor: pointer; }
details.record[data-outcome="fail"], details.record[data-outcome="error"], details.record[data-outcome="xpass"] { border-left: 4px solid var(--fail); }
details.record .body { padding: 0 12px 10px; }
.meta { color: var(--muted); margin: 4px 0; }
.expectation { background: var(--panel); padding: 4px 8px; border-radius: 4px; }
pre { background: var(--panel); border: 1px solid var(--line); border-radius: 4px; padding: 8px; overflow: auto; max-height: 420px; white-space: pre-wrap; word-break: break-word; font: 12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; }
.evidence { margin: 8px 0; }
table.hex { font: 12.5px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; }
table.hex th { color: var(--muted); font-weight: normal; padding: 1px 6px; }
table.hex td { padding: 1px 4px; text-align: center; }
table.hex td.hl { background: #ffd7d5; color: #82071e; font-weight: 700; outline: 1px solid var(--fail); }
.replay-cmd { background: #fff; border: 1px solid var(--line); padding: 2px 6px; border-radius: 4px; }
.cx-list details { margin: 6px 0; } .cx-link { font-size: 12px; }
.provenance th { background: var(--panel); white-space: nowrap; } .provenance td { word-break: break-word; }
footer { margin-top: 30px; color: var(--muted); font-size: 12px; }
`;

/** Renders the report page. */
export function renderHtml(results: RunResults, options: HtmlOptions = {}): string {
  const verdict = judge(results);
  const shortIds = shortRecordIds(results.records);
  const replays = replayCommands(results.records, options.replayFrom, shortIds);
  const data: ReportPageData = {
    results,
    verdict: { exitCode: verdict.exitCode, headline: verdict.headline },
    counts: countOutcomes(results.records),
    provenance: provenanceRows(results),
    meaning: outcomeMeaning,
    shortIds: results.records.map((record) => shortIds.get(record.id)!),
    replays: results.records.map((record) => replays.get(record.id) ?? null),
    programTargets: [...new Set(results.records.filter((record) => replays.has(record.id) && replayStartsProgram(record.target)).map((record) => record.target))],
    harnessCodes: Object.fromEntries(
      results.records.flatMap((record) => record.evidence ?? []).flatMap((evidence) => (evidence.kind === 'harness' ? [[evidence.code, describeDiagnosticCode(evidence.code)]] : [])),
    ),
  };
  const hash = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
  // Only the page's own script and style may run or apply: nothing else, inline or fetched.
  const csp = `default-src 'none'; style-src ${hash(styles)}; img-src data:; script-src ${hash(appScript)}; base-uri 'none'; form-action 'none'`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>xvc report: ${escapeHtml(verdict.headline)}</title>
<style>${styles}</style>
</head>
<body>
<div id="app"><noscript><p>This report is built by an inline script; enable JavaScript, or read results.json.</p></noscript></div>
<script type="application/json" id="xvc-data">${jsonForScriptElement(data)}</script>
<script>${appScript}</script>
</body>
</html>
`;
}
