/**
 * The report page's script. html.ts compiles it (type annotations stripped, wrapped in a function so
 * nothing leaks into the page's globals) and embeds it inline, pinned by a CSP hash. It reads the
 * results from the `<script type="application/json" id="xvc-data">` element and builds the page with
 * createElement and textContent only: strings from targets are data, never markup.
 *
 * The page opens on what failed: the unexpected failures and harness errors, each with the
 * statement it breaks, the condition tested, its evidence and the command that replays it; then the
 * per-target summary. Everything else (warnings, expected failures, the requirement × target matrix,
 * the mechanism matrices, every result with filters, the provenance) is one click away in a closed
 * section, built when it is first opened, so a `qemu:all` report is not a page of 150,000 pixels.
 *
 * Only type imports: the compiled script is one classic inline script and can import nothing.
 */
import type { CounterexampleEvidence, Evidence, MatrixCell, Outcome, ResultRecord } from '../results/result-model.ts';
import type { ReportPageData } from './html.ts';

const data = JSON.parse(document.getElementById('xvc-data')!.textContent ?? 'null') as ReportPageData;
const results = data.results;
const records = results.records;
const ORDER: readonly Outcome[] = ['error', 'fail', 'xpass', 'warning', 'xfail', 'pass', 'skip', 'inapplicable'];
const MEANING = data.meaning;
const root = document.getElementById('app')!;
const programTargets = new Set(data.programTargets);
/** Unexpected failures shown open at first; more are listed closed. */
const OPEN_FAILURES = 50;

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
function rank(outcome: Outcome): number {
  return ORDER.indexOf(outcome);
}
function worst(list: readonly ResultRecord[]): Outcome | null {
  let best: Outcome | null = null;
  for (const record of list) {
    if (best === null || rank(record.outcome) < rank(best)) best = record.outcome;
  }
  return best;
}
function naturalKey(text: string): string {
  return text.replace(/\d+/g, (digits) => digits.padStart(12, '0'));
}
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
function unique(values: readonly (string | undefined)[]): string[] {
  const seen = new Set<string>();
  for (const value of values) if (value !== undefined && value !== null) seen.add(value);
  return [...seen].sort((a, b) => compareText(naturalKey(a), naturalKey(b)));
}
function hex(value: number, width: number): string {
  return value.toString(16).padStart(width, '0');
}
/** Record positions, worst outcome first, then requirement, target and test. */
function sortedIndexes(indexes: readonly number[]): number[] {
  const keys = new Map<number, string>();
  for (const index of indexes) keys.set(index, naturalKey(records[index]!.requirement));
  return [...indexes].sort((a, b) => {
    const x = records[a]!;
    const y = records[b]!;
    return rank(x.outcome) - rank(y.outcome) || compareText(keys.get(a)!, keys.get(b)!) || compareText(x.target, y.target) || compareText(x.test, y.test);
  });
}
function isUnexpected(record: ResultRecord): boolean {
  return record.outcome === 'fail' || record.outcome === 'xpass' || record.outcome === 'error';
}
/** An http(s) link as an anchor that opens apart from the report; anything else as text. */
function link(url: string): Node {
  if (!/^https?:\/\/\S+$/.test(url)) return el('code', { text: url });
  return el('a', { href: url, rel: 'noopener noreferrer', target: '_blank', text: url });
}
/**
 * A section closed at first whose content is built the first time it is opened (and when
 * {@link openSection} opens it for a link).
 */
function lazySection(id: string, title: string, build: (body: HTMLElement) => void): HTMLDetailsElement {
  const body = el('div', { class: 'section-body' });
  const section = el('details', { class: 'section', id }, [el('summary', null, [el('h2', { text: title })]), body]);
  let built = false;
  const ensure = (): void => {
    if (built) return;
    built = true;
    build(body);
    // The toggle event that builds a section comes after the click, as a task of its own: the mark
    // lets a script (and the browser tests) wait for the content instead of racing it.
    section.dataset['built'] = 'true';
  };
  section.addEventListener('toggle', () => {
    if (section.open) ensure();
  });
  sectionBuilders.set(id, ensure);
  return section;
}
const sectionBuilders = new Map<string, () => void>();
function openSection(id: string): void {
  const section = document.getElementById(id);
  if (!(section instanceof HTMLDetailsElement)) return;
  sectionBuilders.get(id)?.();
  section.open = true;
}

// ---- header: verdict, counts, partial banner, the page's sections
const verdictClass = data.verdict.exitCode === 0 ? 'ok' : data.verdict.exitCode === 1 ? 'bad' : data.verdict.exitCode === 4 ? 'warn' : 'warn';
const unexpectedIndexes = sortedIndexes(records.map((record, index) => (isUnexpected(record) ? index : -1)).filter((index) => index >= 0));
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
const toc = el('nav', { class: 'toc', 'aria-label': 'sections' });
root.appendChild(toc);
function tocLink(id: string, label: string): void {
  const anchor = el('a', { href: `#${id}`, text: label });
  anchor.addEventListener('click', () => openSection(id));
  toc.appendChild(anchor);
}

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
  box.appendChild(el('div', { class: 'scroll' }, [table]));
}
function replayLine(command: string, target: string | undefined): HTMLElement {
  return el('p', { class: 'replay' }, [
    'Replay: ',
    el('code', { class: 'replay-cmd', text: command }),
    target !== undefined && programTargets.has(target) ? el('span', { class: 'note', text: ` — starts ${target} again, as this run did: check it before you run it` }) : null,
  ]);
}
function renderCounterexample(box: HTMLElement, evidence: CounterexampleEvidence, replay: string, target: string | undefined): void {
  box.appendChild(el('p', null, ['Shrunk counterexample, seed ', el('code', { text: String(evidence.seed) }), ', path ', el('code', { text: evidence.path })]));
  box.appendChild(replayLine(replay, target));
  let scenario: string;
  try {
    scenario = JSON.stringify(evidence.scenario, null, 2);
  } catch {
    scenario = '(scenario cannot be shown)';
  }
  box.appendChild(pre(scenario, 'scenario'));
}
function renderEvidence(evidence: Evidence, replay?: string, target?: string): HTMLDivElement {
  const box = el('div', { class: `evidence ev-${evidence.kind}` });
  switch (evidence.kind) {
    case 'bytes':
      renderBytes(box, evidence);
      break;
    case 'counterexample':
      renderCounterexample(box, evidence, replay ?? evidence.replay, target);
      break;
    case 'harness':
      box.appendChild(el('p', null, ['Harness error ', el('code', { text: data.harnessCodes[evidence.code] ?? evidence.code })]));
      if (evidence.stderr !== undefined) box.appendChild(pre(evidence.stderr, 'stderr'));
      break;
    default:
      box.appendChild(pre(evidence.text));
  }
  return box;
}

// ---- one result as a card: summary line, then what it rests on and its evidence
function recordCard(index: number, idPrefix: string, open: boolean): HTMLDetailsElement {
  const record = records[index]!;
  const details = el('details', { class: 'record', 'data-outcome': record.outcome, 'data-requirement': record.requirement, 'data-target': record.target, 'data-record': data.shortIds[index], id: `${idPrefix}${index}` });
  details.appendChild(
    el('summary', null, [badge(record.outcome), ' ', el('code', { text: record.requirement }), ' on ', el('code', { text: record.target }), ' — ', el('span', { class: 'title', text: record.title || record.test })]),
  );
  let filled = false;
  const fill = (): void => {
    if (filled) return;
    filled = true;
    const body = el('div', { class: 'body' });
    if (record.statement) body.appendChild(el('p', { class: 'statement' }, [el('strong', { text: `Statement${record.level ? ` (${record.level})` : ''}: ` }), record.statement]));
    if (record.condition) body.appendChild(el('p', { class: 'condition' }, [el('strong', { text: 'Condition tested: ' }), record.condition]));
    body.appendChild(
      el('p', { class: 'meta' }, [
        'test: ',
        el('span', { text: record.test }),
        record.side ? ` · ${record.side}` : '',
        ` · suite ${record.suite}`,
        ` · record ${data.shortIds[index]}`,
        ` · ${record.durationMs.toFixed(1)} ms`,
      ]),
    );
    if (record.ref) body.appendChild(el('p', { class: 'meta', text: record.ref }));
    if (record.expectation) {
      const prefix = record.outcome === 'xpass' ? 'Expected to fail, but passed: ' : 'Known failure: ';
      const source = record.expectation.source ? ` (${record.expectation.source})` : '';
      const expectation = el('p', { class: 'expectation' }, [prefix + record.expectation.reason + source]);
      if (record.expectation.link) expectation.appendChild(el('span', null, [' — ', link(record.expectation.link)]));
      body.appendChild(expectation);
    }
    if (record.message) body.appendChild(pre(record.message, 'message'));
    const replay = data.replays[index] ?? undefined;
    for (const evidence of record.evidence) body.appendChild(renderEvidence(evidence, replay, record.target));
    details.appendChild(body);
  };
  // A closed card builds its body when opened: a page of thousands of results stays light.
  if (open) {
    fill();
    details.open = true;
  } else details.addEventListener('toggle', () => details.open && fill());
  return details;
}

// ---- what failed: open, first
const failSection = el('section', { id: 'failures' }, [el('h2', { text: unexpectedIndexes.length > 0 ? `What failed (${unexpectedIndexes.length})` : 'What failed' })]);
if (results.runErrors.length > 0) failSection.appendChild(el('div', { id: 'run-errors' }, [el('h3', { text: `Run errors (${results.runErrors.length})` }), pre(results.runErrors.join('\n'))]));
if (unexpectedIndexes.length === 0) {
  failSection.appendChild(el('p', { class: 'none', id: 'no-failures', text: 'No unexpected failure and no harness error.' }));
} else {
  failSection.appendChild(el('p', { class: 'meta', text: 'Failures no expectation covers, expected failures that passed, and harness errors: each with the statement it breaks, the condition tested and its evidence.' }));
  const list = el('div', { id: 'failure-list' });
  unexpectedIndexes.forEach((index, position) => list.appendChild(recordCard(index, 'f', position < OPEN_FAILURES)));
  failSection.appendChild(list);
}
root.appendChild(failSection);
tocLink('failures', 'what failed');

// ---- per target: counts, one line each
const byTarget = new Map<string, number[]>();
records.forEach((record, index) => {
  const list = byTarget.get(record.target);
  if (list === undefined) byTarget.set(record.target, [index]);
  else list.push(index);
});
const targets = unique([...byTarget.keys()]);
const implementationOf = new Map<string, string>();
for (const target of results.metadata.targets) implementationOf.set(target.spec, target.implementation);
const targetSection = el('section', { id: 'targets' }, [el('h2', { text: `Per target (${targets.length})` })]);
const targetTable = el('table', { class: 'matrix summary', id: 'target-summary' });
targetTable.appendChild(el('thead', null, [el('tr', null, [el('th', { class: 'sticky', text: 'target' }), el('th', { text: 'implementation' }), ...ORDER.map((outcome) => el('th', null, [badge(outcome)]))])]));
const targetBody = el('tbody');
for (const target of targets) {
  const counts = new Map<Outcome, number>();
  for (const index of byTarget.get(target)!) counts.set(records[index]!.outcome, (counts.get(records[index]!.outcome) ?? 0) + 1);
  const show = el('button', { type: 'button', class: 'linkish', title: 'show the results of this target', text: target });
  show.addEventListener('click', () => showResults({ target }));
  targetBody.appendChild(
    el('tr', { 'data-target': target }, [
      el('th', { class: 'sticky' }, [show]),
      el('td', { class: 'impl', text: implementationOf.get(target) || '' }),
      ...ORDER.map((outcome) => el('td', { class: `num${(counts.get(outcome) ?? 0) > 0 && (outcome === 'fail' || outcome === 'error' || outcome === 'xpass') ? ' bad' : ''}`, text: String(counts.get(outcome) ?? 0) })),
    ]),
  );
}
targetTable.appendChild(targetBody);
targetSection.appendChild(el('div', { class: 'scroll' }, [targetTable]));
root.appendChild(targetSection);
tocLink('targets', 'per target');

// ---- warnings and expected failures
const warningIndexes = sortedIndexes(records.map((record, index) => (record.outcome === 'warning' ? index : -1)).filter((index) => index >= 0));
if (warningIndexes.length > 0) {
  root.appendChild(
    lazySection('warnings', `Warnings (${warningIndexes.length})`, (body) => {
      body.appendChild(el('p', { class: 'meta', text: 'SHOULD statements (or non-normative notes) not met: never a failure unless the run is --strict.' }));
      for (const index of warningIndexes) body.appendChild(recordCard(index, 'w', false));
    }),
  );
  tocLink('warnings', `warnings (${warningIndexes.length})`);
}
const expectedIndexes = sortedIndexes(records.map((record, index) => (record.outcome === 'xfail' ? index : -1)).filter((index) => index >= 0));
if (expectedIndexes.length > 0) {
  root.appendChild(
    lazySection('expected', `Expected failures (${expectedIndexes.length})`, (body) => {
      for (const index of expectedIndexes) body.appendChild(recordCard(index, 'x', false));
    }),
  );
  tocLink('expected', `expected failures (${expectedIndexes.length})`);
}

// ---- requirement × target matrix
/** One row of the requirement matrix and its cells, refilled by {@link apply}. */
interface RequirementRow {
  id: string;
  row: HTMLTableRowElement;
  list: number[];
  cells: { target: string; node: HTMLTableCellElement }[];
}
const reqRows: RequirementRow[] = [];
root.appendChild(
  lazySection('requirements', 'Requirement × target', (body) => {
    const byRequirement = new Map<string, number[]>();
    records.forEach((record, index) => {
      const list = byRequirement.get(record.requirement);
      if (list === undefined) byRequirement.set(record.requirement, [index]);
      else list.push(index);
    });
    const reqTable = el('table', { class: 'matrix', id: 'req-matrix' });
    const headRow = el('tr', null, [el('th', { class: 'req sticky', text: 'requirement' }), el('th', { text: 'level' }), el('th', { text: 'side' })]);
    for (const target of targets) {
      const implementation = implementationOf.get(target);
      headRow.appendChild(el('th', { class: 'target', title: implementation || target }, [el('code', { text: target }), el('div', { class: 'impl', text: implementation || '' })]));
    }
    reqTable.appendChild(el('thead', null, [headRow]));
    const reqBody = el('tbody');
    for (const id of unique([...byRequirement.keys()])) {
      const list = byRequirement.get(id)!;
      const first = records[list[0]!]!;
      const row = el('tr', { 'data-requirement': id }, [
        el('th', { class: 'req sticky', title: first.ref || '' }, [el('code', { text: id }), el('div', { class: 'title', text: first.title || '' })]),
        el('td', { text: first.level || '' }),
        el('td', { text: first.side || '' }),
      ]);
      const cells = targets.map((target) => {
        const cell = el('td', { class: 'cell' });
        row.appendChild(cell);
        return { target, node: cell };
      });
      reqBody.appendChild(row);
      reqRows.push({ id, row, list, cells });
    }
    reqTable.appendChild(reqBody);
    body.appendChild(el('div', { class: 'scroll' }, [reqTable]));
    apply();
  }),
);
tocLink('requirements', 'requirement × target');

// ---- mechanism × property: xvc's readers, then each frontend target's own matrix
const matrix = results.mechanismMatrix;
/** The replay command of a matrix cell: the one of the record it shows. */
function cellReplay(cell: MatrixCell): string | undefined {
  const index = records.findIndex((record) => record.mechanism === cell.mechanism && record.property === cell.property && (cell.target === undefined || record.target === cell.target) && record.outcome === cell.outcome && record.evidence.some((evidence) => evidence.kind === 'counterexample'));
  return index >= 0 ? (data.replays[index] ?? undefined) : undefined;
}
function matrixTable(id: string, cells: readonly MatrixCell[], declared: readonly string[] | null, counterexamples: HTMLElement): HTMLElement {
  const used = new Set(cells.map((cell) => cell.mechanism));
  const mechanisms = matrix!.mechanisms.filter((mechanism) => used.has(mechanism.id));
  // Columns in the matrix's order of properties, then any the matrix does not list.
  const present = new Set(cells.map((cell) => cell.property));
  const properties = [...matrix!.properties.map((property) => property.id).filter((id) => present.has(id)), ...unique([...present].filter((id) => !matrix!.properties.some((property) => property.id === id)))];
  const titles = new Map(matrix!.properties.map((property) => [property.id, property]));
  const table = el('table', { class: 'matrix', id });
  const head = el('tr', null, [el('th', { class: 'sticky', text: 'mechanism' }), el('th', { text: 'writer' })]);
  for (const property of properties) {
    const known = titles.get(property);
    head.appendChild(el('th', { title: known?.requirement ?? property }, [el('div', { text: known?.title || property }), el('code', { text: known?.requirement ?? property })]));
  }
  table.appendChild(el('thead', null, [head]));
  const body = el('tbody');
  const cellAt = new Map(cells.map((cell) => [`${cell.mechanism}\u0000${cell.property}`, cell]));
  for (const mechanism of mechanisms) {
    const isDeclared = declared !== null && declared.includes(mechanism.id);
    const row = el('tr', { 'data-mechanism': mechanism.id, class: isDeclared ? 'declared' : '' }, [
      el('th', { class: 'sticky' }, [el('div', { text: mechanism.title }), el('code', { text: mechanism.id }), isDeclared ? el('div', { class: 'tag', text: 'declared' }) : null]),
      el('td', null, [mechanism.writer, mechanism.trusted ? null : el('span', { class: 'untrusted', text: ' untrusted' })]),
    ]);
    for (const property of properties) {
      const cell = cellAt.get(`${mechanism.id}\u0000${property}`);
      const td = el('td', { class: 'cell' });
      if (cell) {
        td.appendChild(badge(cell.outcome));
        if (cell.counterexample) {
          const anchor = `cx-${id}-${mechanism.id}-${property}`;
          const anchorLink = el('a', { href: `#${anchor}`, class: 'cx-link', text: 'counterexample' });
          td.appendChild(el('div', null, [anchorLink]));
          const box = el('details', { id: anchor, class: 'cx' }, [
            el('summary', null, [badge(cell.outcome), ' ', el('code', { text: mechanism.id }), ' × ', el('code', { text: property })]),
            renderEvidence(cell.counterexample, cellReplay(cell), cell.target),
          ]);
          anchorLink.addEventListener('click', () => {
            box.open = true;
          });
          counterexamples.appendChild(box);
        }
      } else {
        td.appendChild(el('span', { class: 'none', text: '·', title: 'no cell' }));
      }
      row.appendChild(td);
    }
    body.appendChild(row);
  }
  table.appendChild(body);
  return el('div', { class: 'scroll' }, [table]);
}
if (matrix && matrix.mechanisms.length > 0) {
  const ownTargets = matrix.targets ?? [];
  root.appendChild(
    lazySection('mechanisms', `Mechanism × property (${[matrix.cells.length > 0 ? "xvc's readers" : '', ownTargets.length > 0 ? `${ownTargets.length} target(s)` : ''].filter((part) => part !== '').join(', ')})`, (body) => {
      if (matrix.cells.length > 0) {
        body.appendChild(el('h3', { text: "xvc's mechanism matrix: each mechanism read alone by xvc's reference policy" }));
        const counterexamples = el('div', { class: 'cx-list' });
        body.appendChild(matrixTable('mech-matrix', matrix.cells, null, counterexamples));
        body.appendChild(counterexamples);
      }
      ownTargets.forEach((own, position) => {
        body.appendChild(el('h3', { class: 'target-matrix-title' }, ["Mechanism × property of ", el('code', { text: own.target })]));
        body.appendChild(el('p', { class: 'meta', text: `Declares ${own.declared.length > 0 ? own.declared.join(', ') : 'nothing'}: each declared mechanism judged on every property, every other one must be ignored.` }));
        const counterexamples = el('div', { class: 'cx-list' });
        const table = matrixTable(`target-matrix-${position}`, own.cells, own.declared, counterexamples);
        table.setAttribute('data-target', own.target);
        body.appendChild(table);
        body.appendChild(counterexamples);
      });
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
        body.appendChild(el('details', { class: 'static' }, [el('summary', { text: 'Static properties of each mechanism' }), el('div', { class: 'scroll' }, [facts])]));
      }
    }),
  );
  tocLink('mechanisms', 'mechanism matrices');
}

// ---- every result, with filters
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
const selects = new Map<keyof Filters, HTMLSelectElement>();
const items: { index: number; node: HTMLDetailsElement }[] = [];
const shown = el('span', { class: 'shown', id: 'shown-count' });
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
root.appendChild(
  lazySection('results', `All results (${records.length})`, (body) => {
    const filterBar = el('nav', { class: 'filters', 'aria-label': 'filters' });
    const select = (name: Exclude<keyof Filters, 'text'>, label: string, values: readonly string[]): void => {
      const options = [el('option', { value: '', text: `all ${label}` }), ...values.map((value) => el('option', { value, text: value }))];
      const node = el('select', { id: `filter-${name}`, 'aria-label': label }, options);
      node.value = filters[name];
      node.addEventListener('change', () => {
        filters[name] = node.value;
        apply();
      });
      selects.set(name, node);
      filterBar.appendChild(el('label', null, [`${label} `, node]));
    };
    select('suite', 'suites', unique(records.map((record) => record.suite)));
    select('level', 'levels', unique(records.map((record) => record.level)));
    select('side', 'sides', unique(records.map((record) => record.side)));
    select('outcome', 'outcomes', ORDER.filter((outcome) => data.counts[outcome] > 0));
    select('target', 'targets', targets);
    const search = el('input', { id: 'filter-text', type: 'search', placeholder: 'search id, test, message', 'aria-label': 'search' });
    search.addEventListener('input', () => {
      filters.text = search.value.toLowerCase();
      apply();
    });
    filterBar.appendChild(search);
    filterBar.appendChild(shown);
    body.appendChild(filterBar);
    const list = el('div', { id: 'result-list' });
    for (const index of sortedIndexes(records.map((_record, index) => index))) {
      const node = recordCard(index, 'r', false);
      list.appendChild(node);
      items.push({ index, node });
    }
    body.appendChild(list);
    apply();
  }),
);
tocLink('results', `all results (${records.length})`);
/** Opens the results with `wanted` selected in the filters. */
function showResults(wanted: Partial<Filters>): void {
  openSection('results');
  for (const [name, value] of Object.entries(wanted) as [keyof Filters, string][]) {
    filters[name] = value;
    const node = selects.get(name);
    if (node) node.value = value;
  }
  apply();
  document.getElementById('results')?.scrollIntoView({ block: 'start' });
}

// ---- expectations, provenance
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
root.appendChild(
  lazySection('provenance-section', 'Provenance', (body) => {
    const prov = el('table', { class: 'provenance', id: 'provenance' });
    for (const row of data.provenance) prov.appendChild(el('tr', null, [el('th', { text: row.label }), el('td', { text: row.value })]));
    body.appendChild(prov);
  }),
);
tocLink('provenance-section', 'provenance');
root.appendChild(el('footer', null, [el('p', { class: 'legend' }, ORDER.map((outcome) => el('span', { class: 'count' }, [badge(outcome), ` ${MEANING[outcome]}`])))]));

// ---- filtering (of the results list and the requirement matrix, once built)
function apply(): void {
  let count = 0;
  for (const item of items) {
    const show = visible(records[item.index]!);
    item.node.hidden = !show;
    if (show) count++;
  }
  for (const entry of reqRows) {
    let any = false;
    for (const cell of entry.cells) {
      const inCell = entry.list.filter((index) => records[index]!.target === cell.target && visible(records[index]!));
      while (cell.node.firstChild) cell.node.removeChild(cell.node.firstChild);
      if (inCell.length === 0) continue;
      any = true;
      const title = `${inCell.length} result(s): ${inCell.map((index) => records[index]!.test).join('; ')}`;
      const button = el('button', { type: 'button', class: 'cellbtn', title }, [badge(worst(inCell.map((index) => records[index]!))!)]);
      button.addEventListener('click', () => {
        openSection('results');
        for (const index of inCell) {
          const node = document.getElementById(`r${index}`);
          if (node instanceof HTMLDetailsElement) node.open = true;
        }
        document.getElementById(`r${inCell[0]!}`)?.scrollIntoView({ block: 'center' });
      });
      cell.node.appendChild(button);
    }
    entry.row.hidden = !any;
  }
  shown.textContent = `${count} of ${records.length} results shown`;
}
// A link to a section (report.html#results) opens it.
if (location.hash.length > 1) openSection(decodeURIComponent(location.hash.slice(1)));
document.documentElement.setAttribute('data-ready', 'true');
