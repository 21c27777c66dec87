/**
 * The report page's script. html.ts compiles it (type annotations stripped, wrapped in a function so
 * nothing leaks into the page's globals) and embeds it inline, pinned by a CSP hash. It reads the
 * results from the `<script type="application/json" id="xvc-data">` element and builds the page with
 * createElement and textContent only: strings from targets are data, never markup.
 *
 * Only type imports: the compiled script is one classic inline script and can import nothing.
 */
import type { CounterexampleEvidence, Evidence, Outcome, ResultRecord } from '../results/result-model.ts';
import type { ReportPageData } from './html.ts';

const data = JSON.parse(document.getElementById('xvc-data')!.textContent ?? 'null') as ReportPageData;
const results = data.results;
const records = results.records;
const ORDER: readonly Outcome[] = ['error', 'fail', 'xpass', 'warning', 'xfail', 'pass', 'skip', 'inapplicable'];
const MEANING = data.meaning;
const root = document.getElementById('app')!;

/** Attributes of {@link el}: `text` becomes textContent, `class` the class name, the rest attributes. */
type Attributes = Readonly<Record<string, string | number | boolean | undefined>>;
/** Children of {@link el}: nodes, text, or nothing. */
type Child = Node | string | null | undefined;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attributes | null, children?: readonly Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (attrs) {
    for (const key of Object.keys(attrs)) {
      const value = attrs[key];
      if (value === undefined) continue;
      if (key === 'text') node.textContent = String(value);
      else if (key === 'class') node.className = String(value);
      else node.setAttribute(key, String(value));
    }
  }
  for (const child of children ?? []) {
    if (child === null || child === undefined) continue;
    node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}
function badge(outcome: Outcome): HTMLSpanElement {
  return el('span', { class: `badge o-${outcome}`, title: MEANING[outcome], text: outcome });
}
function worst(list: readonly ResultRecord[]): Outcome | null {
  let best: Outcome | null = null;
  for (const record of list) {
    if (best === null || ORDER.indexOf(record.outcome) < ORDER.indexOf(best)) best = record.outcome;
  }
  return best;
}
function unique(values: readonly (string | undefined)[]): string[] {
  const seen = new Set<string>();
  for (const value of values) if (value !== undefined && value !== null) seen.add(value);
  return [...seen].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}
function hex(value: number, width: number): string {
  return value.toString(16).padStart(width, '0');
}
/** The details element of a result, by the position of its record in the results. */
function resultNode(index: number): HTMLDetailsElement | null {
  const node = document.getElementById(`r${index}`);
  return node instanceof HTMLDetailsElement ? node : null;
}

// ---- header: verdict, counts, partial banner
const verdictClass = data.verdict.exitCode === 0 ? 'ok' : data.verdict.exitCode === 1 ? 'bad' : 'warn';
root.appendChild(
  el('header', { class: `verdict ${verdictClass}`, id: 'verdict' }, [
    el('h1', { text: 'xvc conformance report' }),
    el('p', { class: 'headline', text: `${data.verdict.headline} (exit ${data.verdict.exitCode})` }),
    el(
      'p',
      { class: 'counts' },
      ORDER.filter((outcome) => data.counts[outcome] > 0).map((outcome) => el('span', { class: 'count' }, [badge(outcome), ` ${data.counts[outcome]}`])),
    ),
  ]),
);
if (results.metadata.partial) {
  root.appendChild(el('p', { class: 'banner', id: 'partial', text: 'Partial results: the run did not finish (or a merge lacks parts). Only what was recorded is shown.' }));
}

// ---- filters
/** What the filter bar selects; empty means "all". */
interface Filters {
  suite: string;
  level: string;
  side: string;
  outcome: string;
  target: string;
  text: string;
}
const filters: Filters = { suite: '', level: '', side: '', outcome: '', target: '', text: '' };
const filterBar = el('nav', { class: 'filters', 'aria-label': 'filters' });
function select(name: Exclude<keyof Filters, 'text'>, label: string, values: readonly string[]): void {
  const options = [el('option', { value: '', text: `all ${label}` }), ...values.map((value) => el('option', { value, text: value }))];
  const node = el('select', { id: `filter-${name}`, 'aria-label': label }, options);
  node.addEventListener('change', () => {
    filters[name] = node.value;
    apply();
  });
  filterBar.appendChild(el('label', null, [`${label} `, node]));
}
select('suite', 'suites', unique(records.map((record) => record.suite)));
select('level', 'levels', unique(records.map((record) => record.level)));
select('side', 'sides', unique(records.map((record) => record.side)));
select('outcome', 'outcomes', ORDER.filter((outcome) => data.counts[outcome] > 0));
select('target', 'targets', unique(records.map((record) => record.target)));
const search = el('input', { id: 'filter-text', type: 'search', placeholder: 'search id, test, message', 'aria-label': 'search' });
search.addEventListener('input', () => {
  filters.text = search.value.toLowerCase();
  apply();
});
filterBar.appendChild(search);
const shown = el('span', { class: 'shown', id: 'shown-count' });
filterBar.appendChild(shown);
root.appendChild(filterBar);

function visible(record: ResultRecord): boolean {
  if (filters.suite && record.suite !== filters.suite) return false;
  if (filters.level && record.level !== filters.level) return false;
  if (filters.side && record.side !== filters.side) return false;
  if (filters.outcome && record.outcome !== filters.outcome) return false;
  if (filters.target && record.target !== filters.target) return false;
  if (filters.text) {
    const hay = [record.requirement, record.test, record.message, record.title ?? '', record.target].join('\n').toLowerCase();
    if (!hay.includes(filters.text)) return false;
  }
  return true;
}

// ---- requirement × target matrix
const targets = unique(records.map((record) => record.target));
const requirementIds = unique(records.map((record) => record.requirement));
// A record's position in the results names its details element (`r<index>`).
const indexOf = new Map<ResultRecord, number>();
const byRequirement = new Map<string, ResultRecord[]>();
records.forEach((record, index) => {
  indexOf.set(record, index);
  const list = byRequirement.get(record.requirement) ?? [];
  list.push(record);
  byRequirement.set(record.requirement, list);
});
const implementationOf = new Map<string, string>();
for (const target of results.metadata.targets) implementationOf.set(target.spec, target.implementation);
const reqSection = el('section', { id: 'requirements' }, [el('h2', { text: 'Requirement × target' })]);
const reqTable = el('table', { class: 'matrix', id: 'req-matrix' });
const headRow = el('tr', null, [el('th', { text: 'requirement' }), el('th', { text: 'level' }), el('th', { text: 'side' })]);
for (const target of targets) {
  const implementation = implementationOf.get(target);
  headRow.appendChild(el('th', { class: 'target', title: implementation || target }, [el('code', { text: target }), el('div', { class: 'impl', text: implementation || '' })]));
}
reqTable.appendChild(el('thead', null, [headRow]));
const reqBody = el('tbody');
/** One row of the requirement matrix and its cells, refilled by {@link apply}. */
interface RequirementRow {
  id: string;
  row: HTMLTableRowElement;
  list: ResultRecord[];
  cells: { target: string; node: HTMLTableCellElement }[];
}
const reqRows: RequirementRow[] = requirementIds.map((id) => {
  const list = byRequirement.get(id)!;
  const first = list[0]!;
  const row = el('tr', { 'data-requirement': id }, [
    el('th', { class: 'req', title: first.ref || '' }, [el('code', { text: id }), el('div', { class: 'title', text: first.title || '' })]),
    el('td', { text: first.level || '' }),
    el('td', { text: first.side || '' }),
  ]);
  const cells = targets.map((target) => {
    const cell = el('td', { class: 'cell' });
    row.appendChild(cell);
    return { target, node: cell };
  });
  reqBody.appendChild(row);
  return { id, row, list, cells };
});
reqTable.appendChild(reqBody);
reqSection.appendChild(el('div', { class: 'scroll' }, [reqTable]));
root.appendChild(reqSection);

// ---- evidence
function pre(text: string, cls?: string): HTMLPreElement {
  return el('pre', { class: cls || '', text });
}
function renderBytes(box: HTMLElement, evidence: Extract<Evidence, { kind: 'bytes' }>): void {
  box.appendChild(
    el('p', null, [
      'Bytes of ',
      el('code', { text: evidence.functionId }),
      ` (${evidence.space || 'config'} from 0x${hex(evidence.offset, 4)}); offending offsets: `,
      el('code', { text: evidence.highlight.map((offset) => `0x${hex(offset, 4)}`).join(', ') || 'none' }),
    ]),
  );
  if (evidence.expected !== undefined || evidence.actual !== undefined) {
    box.appendChild(
      el('p', null, [
        'expected ',
        el('code', { text: evidence.expected === undefined ? '?' : evidence.expected }),
        ', actual ',
        el('code', { text: evidence.actual === undefined ? '?' : evidence.actual }),
      ]),
    );
  }
  const digits = String(evidence.bytes).replace(/[^0-9a-fA-F]/g, '');
  const marked = new Set(evidence.highlight);
  const table = el('table', { class: 'hex' });
  const head = el('tr', null, [el('th', { text: '' })]);
  for (let column = 0; column < 16; column++) head.appendChild(el('th', { text: hex(column, 1) }));
  table.appendChild(el('thead', null, [head]));
  const body = el('tbody');
  // A hostile length cannot make the page build more than 4 KiB of cells.
  const count = Math.min(Math.floor(digits.length / 2), 4096);
  let row: HTMLTableRowElement | null = null;
  let rowStart = -1;
  for (let index = 0; index < count; index++) {
    const offset = evidence.offset + index;
    const start = offset - (offset % 16);
    if (row === null || start !== rowStart) {
      row = el('tr', null, [el('th', { text: hex(start, 4) })]);
      for (let pad = start; pad < offset; pad++) row.appendChild(el('td', { class: 'pad' }));
      body.appendChild(row);
      rowStart = start;
    }
    row.appendChild(el('td', { class: marked.has(offset) ? 'hl' : '', title: `0x${hex(offset, 4)}`, text: digits.substring(index * 2, index * 2 + 2).toLowerCase() }));
  }
  table.appendChild(body);
  box.appendChild(table);
}
function renderCounterexample(box: HTMLElement, evidence: CounterexampleEvidence): void {
  box.appendChild(el('p', null, ['Shrunk counterexample, seed ', el('code', { text: String(evidence.seed) }), ', path ', el('code', { text: evidence.path })]));
  box.appendChild(el('p', { class: 'replay' }, ['Replay: ', el('code', { class: 'replay-cmd', text: evidence.replay })]));
  let scenario: string;
  try {
    scenario = JSON.stringify(evidence.scenario, null, 2);
  } catch {
    scenario = '(scenario cannot be shown)';
  }
  box.appendChild(pre(scenario, 'scenario'));
}
function renderEvidence(evidence: Evidence): HTMLDivElement {
  const box = el('div', { class: `evidence ev-${evidence.kind}` });
  switch (evidence.kind) {
    case 'bytes':
      renderBytes(box, evidence);
      break;
    case 'counterexample':
      renderCounterexample(box, evidence);
      break;
    case 'harness':
      box.appendChild(el('p', null, ['Harness error ', el('code', { text: evidence.code })]));
      if (evidence.stderr !== undefined) box.appendChild(pre(evidence.stderr, 'stderr'));
      break;
    default:
      box.appendChild(pre(evidence.text));
  }
  return box;
}

// ---- mechanism × property matrix
const matrix = results.mechanismMatrix;
if (matrix && matrix.mechanisms.length > 0) {
  const mechSection = el('section', { id: 'mechanisms' }, [el('h2', { text: 'Mechanism × property' })]);
  const mechTable = el('table', { class: 'matrix', id: 'mech-matrix' });
  const mhead = el('tr', null, [el('th', { text: 'mechanism' }), el('th', { text: 'writer' })]);
  for (const property of matrix.properties) {
    mhead.appendChild(el('th', { title: property.requirement }, [el('div', { text: property.title || property.id }), el('code', { text: property.requirement })]));
  }
  mechTable.appendChild(el('thead', null, [mhead]));
  const mbody = el('tbody');
  const cellAt = new Map(matrix.cells.map((cell) => [`${cell.mechanism}\u0000${cell.property}`, cell]));
  const counterexamples = el('div', { class: 'cx-list' });
  for (const mechanism of matrix.mechanisms) {
    const row = el('tr', { 'data-mechanism': mechanism.id }, [
      el('th', null, [el('div', { text: mechanism.title }), el('code', { text: mechanism.id })]),
      el('td', null, [mechanism.writer, mechanism.trusted ? null : el('span', { class: 'untrusted', text: ' untrusted' })]),
    ]);
    for (const property of matrix.properties) {
      const cell = cellAt.get(`${mechanism.id}\u0000${property.id}`);
      const td = el('td', { class: 'cell' });
      if (cell) {
        td.appendChild(badge(cell.outcome));
        if (cell.counterexample) {
          const anchor = `cx-${mechanism.id}-${property.id}`;
          const link = el('a', { href: `#${anchor}`, class: 'cx-link', text: 'counterexample' });
          td.appendChild(el('div', null, [link]));
          const box = el('details', { id: anchor, class: 'cx' }, [
            el('summary', null, [badge(cell.outcome), ' ', el('code', { text: mechanism.id }), ' × ', el('code', { text: property.id })]),
            renderEvidence(cell.counterexample),
          ]);
          link.addEventListener('click', () => {
            box.open = true;
          });
          counterexamples.appendChild(box);
        }
      } else {
        td.appendChild(el('span', { class: 'none', text: '·', title: 'not run' }));
      }
      row.appendChild(td);
    }
    mbody.appendChild(row);
  }
  mechTable.appendChild(mbody);
  mechSection.appendChild(el('div', { class: 'scroll' }, [mechTable]));
  mechSection.appendChild(counterexamples);
  if (matrix.static.length > 0) {
    const facts = el('table', { class: 'facts', id: 'mech-static' });
    const names = unique(matrix.static.flatMap((entry) => entry.facts.map((fact) => fact.name)));
    facts.appendChild(el('thead', null, [el('tr', null, [el('th', { text: 'mechanism' }), ...names.map((name) => el('th', { text: name }))])]));
    const fbody = el('tbody');
    for (const entry of matrix.static) {
      const byName = new Map(entry.facts.map((fact) => [fact.name, fact.value]));
      fbody.appendChild(el('tr', null, [el('th', null, [el('code', { text: entry.mechanism })]), ...names.map((name) => el('td', { text: byName.get(name) || '' }))]));
    }
    facts.appendChild(fbody);
    mechSection.appendChild(el('details', { class: 'static' }, [el('summary', { text: 'Static properties of each mechanism' }), facts]));
  }
  root.appendChild(mechSection);
}

// ---- every result, failures first, each expandable
const listSection = el('section', { id: 'results' }, [el('h2', { text: 'Results' })]);
const list = el('div', { id: 'result-list' });
const sorted = records
  .slice()
  .sort(
    (a, b) =>
      ORDER.indexOf(a.outcome) - ORDER.indexOf(b.outcome) || a.requirement.localeCompare(b.requirement, 'en', { numeric: true }) || a.target.localeCompare(b.target),
  );
const items = sorted.map((record) => {
  const details = el('details', { class: 'record', 'data-outcome': record.outcome, 'data-requirement': record.requirement, 'data-target': record.target, id: `r${indexOf.get(record)}` });
  details.appendChild(
    el('summary', null, [badge(record.outcome), ' ', el('code', { text: record.requirement }), ' on ', el('code', { text: record.target }), ' — ', el('span', { class: 'title', text: record.title || record.test })]),
  );
  const body = el('div', { class: 'body' });
  body.appendChild(
    el('p', { class: 'meta' }, [
      'test: ',
      el('span', { text: record.test }),
      record.level ? ` · ${record.level}` : '',
      record.side ? ` · ${record.side}` : '',
      ` · suite ${record.suite}`,
      ` · ${record.durationMs.toFixed(1)} ms`,
    ]),
  );
  if (record.ref) body.appendChild(el('p', { class: 'meta', text: record.ref }));
  if (record.expectation) {
    const prefix = record.outcome === 'xpass' ? 'Expected to fail, but passed: ' : 'Known failure: ';
    const source = record.expectation.source ? ` (${record.expectation.source})` : '';
    const expectation = el('p', { class: 'expectation' }, [prefix + record.expectation.reason + source]);
    if (record.expectation.link) expectation.appendChild(el('span', null, [' — ', el('code', { text: record.expectation.link })]));
    body.appendChild(expectation);
  }
  if (record.message) body.appendChild(pre(record.message, 'message'));
  for (const evidence of record.evidence) body.appendChild(renderEvidence(evidence));
  details.appendChild(body);
  list.appendChild(details);
  return { record, node: details };
});
listSection.appendChild(list);
root.appendChild(listSection);

// ---- expectations, run errors, provenance
const expectations = results.expectations;
if (expectations && (expectations.expired.length > 0 || expectations.unmatched.length > 0)) {
  const expSection = el('section', { id: 'expectations' }, [el('h2', { text: `Expectations (${expectations.file})` })]);
  const ul = el('ul');
  for (const entry of expectations.expired) {
    ul.appendChild(el('li', { text: `expired (${entry.expires || ''}): ${entry.target} ${entry.requirement} at ${entry.source} — ${entry.reason}` }));
  }
  for (const entry of expectations.unmatched) {
    ul.appendChild(el('li', { text: `matched nothing: ${entry.target} ${entry.requirement} at ${entry.source} — ${entry.reason}` }));
  }
  expSection.appendChild(ul);
  root.appendChild(expSection);
}
if (results.runErrors.length > 0) {
  root.appendChild(el('section', { id: 'run-errors' }, [el('h2', { text: 'Run errors' }), pre(results.runErrors.join('\n'))]));
}
const prov = el('table', { class: 'provenance', id: 'provenance' });
for (const row of data.provenance) prov.appendChild(el('tr', null, [el('th', { text: row.label }), el('td', { text: row.value })]));
root.appendChild(el('section', { id: 'provenance-section' }, [el('h2', { text: 'Provenance' }), prov]));
root.appendChild(el('footer', null, [el('p', { class: 'legend' }, ORDER.map((outcome) => el('span', { class: 'count' }, [badge(outcome), ` ${MEANING[outcome]}`])))]));

// ---- filtering
function apply(): void {
  let count = 0;
  for (const item of items) {
    const show = visible(item.record);
    item.node.hidden = !show;
    if (show) count++;
  }
  for (const entry of reqRows) {
    let any = false;
    for (const cell of entry.cells) {
      const inCell = entry.list.filter((record) => record.target === cell.target && visible(record));
      while (cell.node.firstChild) cell.node.removeChild(cell.node.firstChild);
      if (inCell.length === 0) continue;
      any = true;
      const title = `${inCell.length} result(s): ${inCell.map((record) => record.test).join('; ')}`;
      const button = el('button', { type: 'button', class: 'cellbtn', title }, [badge(worst(inCell)!)]);
      button.addEventListener('click', () => {
        for (const record of inCell) {
          const node = resultNode(indexOf.get(record)!);
          if (node) node.open = true;
        }
        resultNode(indexOf.get(inCell[0]!)!)?.scrollIntoView({ block: 'center' });
      });
      cell.node.appendChild(button);
    }
    entry.row.hidden = !any;
  }
  shown.textContent = `${count} of ${records.length} results shown`;
}
apply();
document.documentElement.setAttribute('data-ready', 'true');
