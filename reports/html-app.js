// The report page's script, embedded inline by html.ts (kept as plain browser JavaScript so it
// needs no build step; html.ts pins it with a CSP hash). It reads the results from the
// <script type="application/json" id="xvc-data"> element and builds the page with createElement and
// textContent only: strings from targets are data, never markup.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('xvc-data').textContent);
  var results = data.results;
  var records = results.records;
  var ORDER = ['error', 'fail', 'xpass', 'warning', 'xfail', 'pass', 'skip', 'inapplicable'];
  var MEANING = data.meaning;
  var root = document.getElementById('app');

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      for (var key in attrs) {
        if (!Object.prototype.hasOwnProperty.call(attrs, key) || attrs[key] === undefined) continue;
        if (key === 'text') node.textContent = String(attrs[key]);
        else if (key === 'class') node.className = attrs[key];
        else node.setAttribute(key, String(attrs[key]));
      }
    }
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }
  function badge(outcome) {
    return el('span', { class: 'badge o-' + outcome, title: MEANING[outcome], text: outcome });
  }
  function worst(list) {
    var best = null;
    list.forEach(function (record) {
      if (best === null || ORDER.indexOf(record.outcome) < ORDER.indexOf(best)) best = record.outcome;
    });
    return best;
  }
  function unique(values) {
    var seen = {};
    var out = [];
    values.forEach(function (value) {
      if (value === undefined || value === null || Object.prototype.hasOwnProperty.call(seen, value)) return;
      seen[value] = true;
      out.push(value);
    });
    return out.sort(function (a, b) { return String(a).localeCompare(String(b), 'en', { numeric: true }); });
  }
  function hex(value, width) {
    var text = value.toString(16);
    while (text.length < width) text = '0' + text;
    return text;
  }

  // ---- header: verdict, counts, partial banner
  var verdictClass = data.verdict.exitCode === 0 ? 'ok' : data.verdict.exitCode === 1 ? 'bad' : 'warn';
  root.appendChild(
    el('header', { class: 'verdict ' + verdictClass, id: 'verdict' }, [
      el('h1', { text: 'xvc conformance report' }),
      el('p', { class: 'headline', text: data.verdict.headline + ' (exit ' + data.verdict.exitCode + ')' }),
      el('p', { class: 'counts' }, ORDER.filter(function (o) { return data.counts[o] > 0; }).map(function (o) {
        return el('span', { class: 'count' }, [badge(o), ' ' + data.counts[o]]);
      })),
    ]),
  );
  if (results.metadata.partial) {
    root.appendChild(el('p', { class: 'banner', id: 'partial', text: 'Partial results: the run did not finish (or a merge lacks parts). Only what was recorded is shown.' }));
  }

  // ---- filters
  var filters = { suite: '', level: '', side: '', outcome: '', target: '', text: '' };
  var filterBar = el('nav', { class: 'filters', 'aria-label': 'filters' });
  function select(name, label, values) {
    var node = el('select', { id: 'filter-' + name, 'aria-label': label }, [el('option', { value: '', text: 'all ' + label })].concat(values.map(function (value) {
      return el('option', { value: value, text: value });
    })));
    node.addEventListener('change', function () { filters[name] = node.value; apply(); });
    filterBar.appendChild(el('label', null, [label + ' ', node]));
  }
  select('suite', 'suites', unique(records.map(function (r) { return r.suite; })));
  select('level', 'levels', unique(records.map(function (r) { return r.level; })));
  select('side', 'sides', unique(records.map(function (r) { return r.side; })));
  select('outcome', 'outcomes', ORDER.filter(function (o) { return data.counts[o] > 0; }));
  select('target', 'targets', unique(records.map(function (r) { return r.target; })));
  var search = el('input', { id: 'filter-text', type: 'search', placeholder: 'search id, test, message', 'aria-label': 'search' });
  search.addEventListener('input', function () { filters.text = search.value.toLowerCase(); apply(); });
  filterBar.appendChild(search);
  var shown = el('span', { class: 'shown', id: 'shown-count' });
  filterBar.appendChild(shown);
  root.appendChild(filterBar);

  function visible(record) {
    if (filters.suite && record.suite !== filters.suite) return false;
    if (filters.level && record.level !== filters.level) return false;
    if (filters.side && record.side !== filters.side) return false;
    if (filters.outcome && record.outcome !== filters.outcome) return false;
    if (filters.target && record.target !== filters.target) return false;
    if (filters.text) {
      var hay = [record.requirement, record.test, record.message, record.title || '', record.target].join('\n').toLowerCase();
      if (hay.indexOf(filters.text) < 0) return false;
    }
    return true;
  }

  // ---- requirement × target matrix
  var targets = unique(records.map(function (r) { return r.target; }));
  var requirementIds = unique(records.map(function (r) { return r.requirement; }));
  var byRequirement = {};
  records.forEach(function (record, index) {
    record.__index = index;
    (byRequirement[record.requirement] = byRequirement[record.requirement] || []).push(record);
  });
  var implementationOf = {};
  results.metadata.targets.forEach(function (target) { implementationOf[target.spec] = target.implementation; });
  var reqSection = el('section', { id: 'requirements' }, [el('h2', { text: 'Requirement × target' })]);
  var reqTable = el('table', { class: 'matrix', id: 'req-matrix' });
  var headRow = el('tr', null, [el('th', { text: 'requirement' }), el('th', { text: 'level' }), el('th', { text: 'side' })]);
  targets.forEach(function (target) {
    headRow.appendChild(el('th', { class: 'target', title: implementationOf[target] || target }, [el('code', { text: target }), el('div', { class: 'impl', text: implementationOf[target] || '' })]));
  });
  reqTable.appendChild(el('thead', null, [headRow]));
  var reqBody = el('tbody');
  var reqRows = [];
  requirementIds.forEach(function (id) {
    var list = byRequirement[id];
    var first = list[0];
    var row = el('tr', { 'data-requirement': id }, [
      el('th', { class: 'req', title: first.ref || '' }, [el('code', { text: id }), el('div', { class: 'title', text: first.title || '' })]),
      el('td', { text: first.level || '' }),
      el('td', { text: first.side || '' }),
    ]);
    var cells = targets.map(function (target) {
      var cell = el('td', { class: 'cell' });
      row.appendChild(cell);
      return { target: target, node: cell };
    });
    reqBody.appendChild(row);
    reqRows.push({ id: id, row: row, list: list, cells: cells });
  });
  reqTable.appendChild(reqBody);
  reqSection.appendChild(el('div', { class: 'scroll' }, [reqTable]));
  root.appendChild(reqSection);

  // ---- mechanism × property matrix
  var matrix = results.mechanismMatrix;
  if (matrix && matrix.mechanisms.length > 0) {
    var mechSection = el('section', { id: 'mechanisms' }, [el('h2', { text: 'Mechanism × property' })]);
    var mechTable = el('table', { class: 'matrix', id: 'mech-matrix' });
    var mhead = el('tr', null, [el('th', { text: 'mechanism' }), el('th', { text: 'writer' })]);
    matrix.properties.forEach(function (property) {
      mhead.appendChild(el('th', { title: property.requirement }, [el('div', { text: property.title || property.id }), el('code', { text: property.requirement })]));
    });
    mechTable.appendChild(el('thead', null, [mhead]));
    var mbody = el('tbody');
    var cellAt = {};
    matrix.cells.forEach(function (cell) { cellAt[cell.mechanism + '\u0000' + cell.property] = cell; });
    var counterexamples = el('div', { class: 'cx-list' });
    matrix.mechanisms.forEach(function (mechanism) {
      var row = el('tr', { 'data-mechanism': mechanism.id }, [
        el('th', null, [el('div', { text: mechanism.title }), el('code', { text: mechanism.id })]),
        el('td', null, [mechanism.writer, mechanism.trusted ? null : el('span', { class: 'untrusted', text: ' untrusted' })]),
      ]);
      matrix.properties.forEach(function (property) {
        var cell = cellAt[mechanism.id + '\u0000' + property.id];
        var td = el('td', { class: 'cell' });
        if (cell) {
          td.appendChild(badge(cell.outcome));
          if (cell.counterexample) {
            var anchor = 'cx-' + mechanism.id + '-' + property.id;
            var link = el('a', { href: '#' + anchor, class: 'cx-link', text: 'counterexample' });
            td.appendChild(el('div', null, [link]));
            var box = el('details', { id: anchor, class: 'cx' }, [
              el('summary', null, [badge(cell.outcome), ' ', el('code', { text: mechanism.id }), ' × ', el('code', { text: property.id })]),
              renderEvidence(cell.counterexample),
            ]);
            link.addEventListener('click', function () { box.open = true; });
            counterexamples.appendChild(box);
          }
        } else {
          td.appendChild(el('span', { class: 'none', text: '·', title: 'not run' }));
        }
        row.appendChild(td);
      });
      mbody.appendChild(row);
    });
    mechTable.appendChild(mbody);
    mechSection.appendChild(el('div', { class: 'scroll' }, [mechTable]));
    mechSection.appendChild(counterexamples);
    if (matrix.static.length > 0) {
      var facts = el('table', { class: 'facts', id: 'mech-static' });
      var names = unique([].concat.apply([], matrix.static.map(function (s) { return s.facts.map(function (f) { return f.name; }); })));
      facts.appendChild(el('thead', null, [el('tr', null, [el('th', { text: 'mechanism' })].concat(names.map(function (name) { return el('th', { text: name }); })))]));
      var fbody = el('tbody');
      matrix.static.forEach(function (entry) {
        var byName = {};
        entry.facts.forEach(function (fact) { byName[fact.name] = fact.value; });
        fbody.appendChild(el('tr', null, [el('th', null, [el('code', { text: entry.mechanism })])].concat(names.map(function (name) { return el('td', { text: byName[name] || '' }); }))));
      });
      facts.appendChild(fbody);
      mechSection.appendChild(el('details', { class: 'static' }, [el('summary', { text: 'Static properties of each mechanism' }), facts]));
    }
    root.appendChild(mechSection);
  }

  // ---- evidence
  function pre(text, cls) {
    return el('pre', { class: cls || '', text: text });
  }
  function renderEvidence(evidence) {
    var box = el('div', { class: 'evidence ev-' + evidence.kind });
    if (evidence.kind === 'bytes') {
      box.appendChild(el('p', null, [
        'Bytes of ', el('code', { text: evidence.functionId }), ' (' + (evidence.space || 'config') + ' from 0x' + hex(evidence.offset, 4) + '); offending offsets: ',
        el('code', { text: evidence.highlight.map(function (o) { return '0x' + hex(o, 4); }).join(', ') || 'none' }),
      ]));
      if (evidence.expected !== undefined || evidence.actual !== undefined) {
        box.appendChild(el('p', null, ['expected ', el('code', { text: evidence.expected === undefined ? '?' : evidence.expected }), ', actual ', el('code', { text: evidence.actual === undefined ? '?' : evidence.actual })]));
      }
      var digits = String(evidence.bytes).replace(/[^0-9a-fA-F]/g, '');
      var marked = {};
      evidence.highlight.forEach(function (o) { marked[o] = true; });
      var table = el('table', { class: 'hex' });
      var head = el('tr', null, [el('th', { text: '' })]);
      for (var c = 0; c < 16; c++) head.appendChild(el('th', { text: hex(c, 1) }));
      table.appendChild(el('thead', null, [head]));
      var body = el('tbody');
      var count = Math.min(Math.floor(digits.length / 2), 4096);
      var row = null;
      var rowStart = -1;
      for (var i = 0; i < count; i++) {
        var offset = evidence.offset + i;
        var start = offset - (offset % 16);
        if (start !== rowStart) {
          row = el('tr', null, [el('th', { text: hex(start, 4) })]);
          for (var pad = start; pad < offset; pad++) row.appendChild(el('td', { class: 'pad' }));
          body.appendChild(row);
          rowStart = start;
        }
        row.appendChild(el('td', { class: marked[offset] ? 'hl' : '', title: '0x' + hex(offset, 4), text: digits.substr(i * 2, 2).toLowerCase() }));
      }
      table.appendChild(body);
      box.appendChild(table);
    } else if (evidence.kind === 'counterexample') {
      box.appendChild(el('p', null, ['Shrunk counterexample, seed ', el('code', { text: String(evidence.seed) }), ', path ', el('code', { text: evidence.path })]));
      box.appendChild(el('p', { class: 'replay' }, ['Replay: ', el('code', { class: 'replay-cmd', text: evidence.replay })]));
      var scenario;
      try { scenario = JSON.stringify(evidence.scenario, null, 2); } catch (e) { scenario = '(scenario cannot be shown)'; }
      box.appendChild(pre(scenario, 'scenario'));
    } else if (evidence.kind === 'harness') {
      box.appendChild(el('p', null, ['Harness error ', el('code', { text: evidence.code })]));
      if (evidence.stderr !== undefined) box.appendChild(pre(evidence.stderr, 'stderr'));
    } else {
      box.appendChild(pre(evidence.text));
    }
    return box;
  }

  // ---- every result, failures first, each expandable
  var listSection = el('section', { id: 'results' }, [el('h2', { text: 'Results' })]);
  var list = el('div', { id: 'result-list' });
  var sorted = records.slice().sort(function (a, b) {
    return ORDER.indexOf(a.outcome) - ORDER.indexOf(b.outcome) || a.requirement.localeCompare(b.requirement, 'en', { numeric: true }) || a.target.localeCompare(b.target);
  });
  var items = sorted.map(function (record) {
    var details = el('details', { class: 'record', 'data-outcome': record.outcome, 'data-requirement': record.requirement, 'data-target': record.target, id: 'r' + record.__index });
    details.appendChild(el('summary', null, [badge(record.outcome), ' ', el('code', { text: record.requirement }), ' on ', el('code', { text: record.target }), ' — ', el('span', { class: 'title', text: record.title || record.test })]));
    var body = el('div', { class: 'body' });
    body.appendChild(el('p', { class: 'meta' }, [
      'test: ', el('span', { text: record.test }), record.level ? ' · ' + record.level : '', record.side ? ' · ' + record.side : '', ' · suite ' + record.suite, ' · ' + record.durationMs.toFixed(1) + ' ms',
    ]));
    if (record.ref) body.appendChild(el('p', { class: 'meta', text: record.ref }));
    if (record.expectation) {
      var exp = el('p', { class: 'expectation' }, [(record.outcome === 'xpass' ? 'Expected to fail, but passed: ' : 'Known failure: ') + record.expectation.reason + (record.expectation.source ? ' (' + record.expectation.source + ')' : '')]);
      if (record.expectation.link) exp.appendChild(el('span', null, [' — ', el('code', { text: record.expectation.link })]));
      body.appendChild(exp);
    }
    if (record.message) body.appendChild(pre(record.message, 'message'));
    record.evidence.forEach(function (evidence) { body.appendChild(renderEvidence(evidence)); });
    details.appendChild(body);
    list.appendChild(details);
    return { record: record, node: details };
  });
  listSection.appendChild(list);
  root.appendChild(listSection);

  // ---- expectations, run errors, provenance
  if (results.expectations && (results.expectations.expired.length > 0 || results.expectations.unmatched.length > 0)) {
    var expSection = el('section', { id: 'expectations' }, [el('h2', { text: 'Expectations (' + results.expectations.file + ')' })]);
    var ul = el('ul');
    results.expectations.expired.forEach(function (e) { ul.appendChild(el('li', { text: 'expired (' + (e.expires || '') + '): ' + e.target + ' ' + e.requirement + ' at ' + e.source + ' — ' + e.reason })); });
    results.expectations.unmatched.forEach(function (e) { ul.appendChild(el('li', { text: 'matched nothing: ' + e.target + ' ' + e.requirement + ' at ' + e.source + ' — ' + e.reason })); });
    expSection.appendChild(ul);
    root.appendChild(expSection);
  }
  if (results.runErrors.length > 0) {
    root.appendChild(el('section', { id: 'run-errors' }, [el('h2', { text: 'Run errors' }), pre(results.runErrors.join('\n'))]));
  }
  var prov = el('table', { class: 'provenance', id: 'provenance' });
  data.provenance.forEach(function (row) { prov.appendChild(el('tr', null, [el('th', { text: row.label }), el('td', { text: row.value })])); });
  root.appendChild(el('section', { id: 'provenance-section' }, [el('h2', { text: 'Provenance' }), prov]));
  root.appendChild(el('footer', null, [el('p', { class: 'legend' }, ORDER.map(function (o) { return el('span', { class: 'count' }, [badge(o), ' ' + MEANING[o]]); }))]));

  // ---- filtering
  function apply() {
    var count = 0;
    items.forEach(function (item) {
      var show = visible(item.record);
      item.node.hidden = !show;
      if (show) count++;
    });
    reqRows.forEach(function (entry) {
      var any = false;
      entry.cells.forEach(function (cell) {
        var inCell = entry.list.filter(function (r) { return r.target === cell.target && visible(r); });
        while (cell.node.firstChild) cell.node.removeChild(cell.node.firstChild);
        if (inCell.length === 0) return;
        any = true;
        var button = el('button', { type: 'button', class: 'cellbtn', title: inCell.length + ' result(s): ' + inCell.map(function (r) { return r.test; }).join('; ') }, [badge(worst(inCell))]);
        button.addEventListener('click', function () {
          inCell.forEach(function (r) { var node = document.getElementById('r' + r.__index); if (node) node.open = true; });
          var firstNode = document.getElementById('r' + inCell[0].__index);
          if (firstNode) firstNode.scrollIntoView({ block: 'center' });
        });
        cell.node.appendChild(button);
      });
      entry.row.hidden = !any;
    });
    shown.textContent = count + ' of ' + records.length + ' results shown';
  }
  apply();
  document.documentElement.setAttribute('data-ready', 'true');
})();
