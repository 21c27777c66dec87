import { describe, expect, it } from 'vitest';
import { applyExpectations, parseExpectations } from '../results/expectations.ts';
import { htmlPayload, sampleResults, sampleResultsWithRecoveredCrash, scriptPayload } from '../test-support/sample-results.ts';
import { shortRecordId } from '../results/short-record-id.ts';
import { renderMarkdown } from './markdown.ts';

describe('renderMarkdown', () => {
  const text = renderMarkdown(sampleResults());

  it('starts with the verdict and the counts', () => {
    const [first, , counts] = text.split('\n');
    expect(first).toBe('# xvc: ⚠️ incomplete: 1 harness error(s), 3 unexpected result(s) (exit 3)');
    expect(counts).toBe('**10 results:** 1 error, 3 fail, 1 xfail, 3 pass, 1 skip, 1 inapplicable');
  });

  it('lists unexpected results first, each with its evidence', () => {
    const unexpected = text.indexOf('## Unexpected results (4)');
    expect(unexpected).toBeGreaterThan(0);
    expect(text.indexOf('## Expected failures')).toBeGreaterThan(unexpected);
    expect(text.indexOf('## Mechanism × property')).toBeGreaterThan(unexpected);
    expect(text).toContain('0x0000: [86][80] 41 ');
    // Without a location for the results, the replay command the results recorded.
    expect(text).toContain("Replay:\n\n```sh\nxvc replay --target model:linux-6.2 --requirement XEN-INV-03 --seed 24301 --path '3:1:0'\n```");
  });

  it('prints the replay command of each counterexample for where the results are, with its short id', () => {
    const results = sampleResults();
    const record = results.records.find((candidate) => candidate.requirement === 'XEN-INV-03')!;
    const markdown = renderMarkdown(results, { replayFrom: 'ci/xvc report' });
    expect(markdown).toContain(`\`\`\`sh\nxvc replay --from 'ci/xvc report' --record ${shortRecordId(record.id)}\n\`\`\``);
    expect(markdown).toContain(`- \`dom0-default\` × \`no-self-grant\` (fail): \`xvc replay --from 'ci/xvc report' --record ${shortRecordId(record.id)}\``);
  });

  it('makes expectation links clickable Markdown links, outside code spans, for http(s) only', () => {
    const results = sampleResults();
    const markdown = renderMarkdown(results);
    expect(markdown).toContain('| `XEN-INV-01` | `reference` | vendor data is backend\\-written by design | [link](<https://example.invalid/xvc/issues/12>) |');
    expect(markdown).not.toContain('`https://example.invalid/xvc/issues/12`');
    const records = results.records.map((record) => (record.outcome === 'xfail' ? { ...record, expectation: { ...record.expectation!, link: 'javascript:alert(1)' } } : record));
    expect(renderMarkdown({ ...results, records })).toContain('| javascript:alert\\(1\\) |');
  });

  it('lists warnings with the statement they rest on', () => {
    const results = sampleResults();
    const records = results.records.map((record) => (record.requirement === 'PCI-DEV-09' ? { ...record, outcome: 'warning' as const, statement: 'A device should do Y.' } : record));
    const markdown = renderMarkdown({ ...results, records });
    expect(markdown).toContain('## Warnings (1)');
    expect(markdown).toContain('| `PCI-DEV-09` | `qemu:virtio-net-pci` | A device should do Y\\. | cap\\_len 0x0c shorter');
    expect(markdown.indexOf('## Warnings')).toBeLessThan(markdown.indexOf('## Mechanism × property'));
  });

  it("renders each frontend target's own mechanism matrix, its declared mechanisms marked", () => {
    const results = sampleResults();
    const matrix = { ...results.mechanismMatrix!, targets: [{ target: 'model:linux-6.5', declared: ['dt-iommus'], cells: [{ mechanism: 'dt-iommus', property: 'trusted-source', outcome: 'pass' as const, target: 'model:linux-6.5' }, { mechanism: 'dom0-default', property: 'ignores-undeclared', outcome: 'fail' as const, target: 'model:linux-6.5' }] }] };
    const markdown = renderMarkdown({ ...results, mechanismMatrix: matrix });
    expect(markdown).toContain('## Mechanism × property of `model:linux-6.5`');
    expect(markdown).toContain('What the target declares it reads (`dt-iommus`)');
    expect(markdown).toMatch(/\| \*\*declared\*\* Device tree iommus[^|]*\| toolstack \| ✅ pass \| · \|/);
    expect(markdown).toMatch(/\| dom0 default \(`dom0-default`\) \| constant \| · \| ❌ fail \|/);
  });

  it('cites, for each detailed failure, the statement it rests on and the condition tested', () => {
    const results = sampleResults();
    const failing = results.records.find((record) => record.outcome === 'fail')!;
    const cited = renderMarkdown({ ...results, records: results.records.map((record) => (record === failing ? { ...record, statement: 'The device does X.', level: 'MUST', condition: 'with Y declared' } : record)) });
    expect(cited).toContain('Statement (MUST): The device does X\\.');
    expect(cited).toContain('Condition tested: with Y declared');
  });

  it('shows the mechanism matrix and the provenance', () => {
    expect(text).toMatch(/\| dom0 default \(`dom0-default`\) \| constant \| · \| ❌ fail \| · \|/);
    expect(text).toContain('| xvc | 0\\.1\\.0 \\(commit 06b3d3e5a1b2c3d4e5f60718293a4b5c6d7e8f90\\) |');
    expect(text).toContain('| seed | 24301 |');
  });

  it('never lets target strings become HTML or table structure outside code blocks', () => {
    const outsideCode = text.replace(/(`{3,})[^]*?\1/g, '');
    expect(outsideCode).not.toContain(htmlPayload);
    expect(outsideCode).not.toContain(scriptPayload);
    expect(outsideCode).toContain('EvilNIC &lt;img src=x onerror=alert\\(1\\)&gt;');
  });

  it('reports expired and unmatched expectations', () => {
    const loaded = parseExpectations('expectations:\n  - { target: reference, requirement: PCI-DEV-02, reason: never ran here }\n  - { target: reference, requirement: XEN-INV-01, reason: r, expires: 2020-01-01 }\n', 'x.yaml');
    if (!loaded.ok) throw new Error('fixture expectations do not load');
    const markdown = renderMarkdown(applyExpectations(sampleResults(), loaded.expectations, '2026-11-24'));
    expect(markdown).toContain('- expired 2020\\-01\\-01: `reference` `XEN-INV-01` at x\\.yaml:3:5');
    expect(markdown).toContain('- matched nothing: `reference` `PCI-DEV-02` at x\\.yaml:2:5');
  });

  it('bounds the detailed failures and lists the rest', () => {
    const markdown = renderMarkdown(sampleResults(), { maxDetailed: 1 });
    expect(markdown.match(/^### /gm)).toHaveLength(1);
    expect(markdown).toContain('… and 3 more:');
  });

  it('details fewer failures until the summary fits its size limit', () => {
    const results = sampleResults();
    const big = results.records.map((record) => (record.outcome === 'fail' ? { ...record, message: 'x'.repeat(3000) } : record));
    const full = renderMarkdown({ ...results, records: big });
    const small = renderMarkdown({ ...results, records: big }, { maxBytes: 8000 });
    expect(full.match(/^### /gm)).toHaveLength(4);
    expect(Buffer.byteLength(small)).toBeLessThanOrEqual(8000);
    expect((small.match(/^### /gm) ?? []).length).toBeLessThan(4);
    expect(small).toContain('## Provenance');
  });

  it('shows an adapter crash a restart recovered from, once, with its target, what happened and the end of its stderr, fenced', () => {
    expect(text).not.toContain('Adapter incidents');
    const hostile = `${'noise\n'.repeat(1000)}panic: ${htmlPayload}\n\`\`\`\n# not a heading\u001b[2J\n`;
    const summary = renderMarkdown(sampleResultsWithRecoveredCrash(hostile));
    const start = summary.indexOf('## Adapter incidents (1)');
    expect(start).toBeGreaterThan(0);
    // Near the top: before the unexpected results, which a long run pushes far down.
    expect(start).toBeLessThan(summary.indexOf('## Unexpected results'));
    const section = summary.slice(start, summary.indexOf('\n## ', start + 1));
    expect(section).toContain('**crash** of `exec:./adapter` (XVC4011 adapterCrash)');
    expect(section).toContain('1 of 1 retried request(s) answered by a fresh process');
    expect(section).toContain('during: XEN-INV-06 (pass)');
    // The end of stderr, in a fence longer than the one stderr carries, without control characters.
    expect(section).toContain(`panic: ${htmlPayload}`);
    expect(section).toMatch(/earlier characters\)/);
    expect(section.split('noise').length - 1).toBeLessThan(1000);
    expect(section).not.toContain('\u001b');
    expect(section).toContain('````\n');
  });
});
