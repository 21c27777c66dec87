import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { specDiagnostics } from '../../core/diagnostics.ts';
import { parseLocatedYaml, readLocatedYaml, type LocatedYaml } from '../../core/located-yaml.ts';
import { loadRequirements, loadSpecVersions, resolveRequirements } from './requirements.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const versions = new Map<string, string[]>([
  ['virtio', ['1.0', '1.1', '1.2', '1.3', '1.4']],
  ['xen', ['4.17']],
]);

function parse(text: string, file: string): LocatedYaml {
  const parsed = parseLocatedYaml(text, file);
  if (!parsed.ok) throw new Error(`test YAML does not parse: ${JSON.stringify(parsed.problems)}`);
  return parsed.yaml;
}

/** One valid requirement as YAML lines, indented for a `requirements:` list. */
function entry(id: string, extra: string[] = [], omit: string[] = []): string {
  const fields: [string, string][] = [
    ['id', id],
    ['title', 'A title'],
    ['ref', '"VS13 §4.1.1 Device Requirements: Virtio Over PCI Bus"'],
    ['level', 'MUST'],
    ['side', 'device'],
    ['text', 'The device does the thing it must do.'],
    ['testable', 'true'],
    ['suite', 'device'],
    ['mode', 'static'],
  ];
  const lines = fields.filter(([key]) => !omit.includes(key)).map(([key, value]) => `${key}: ${value}`);
  lines.push(...extra);
  return lines.map((line, index) => `${index === 0 ? '  - ' : '    '}${line}`).join('\n');
}

function file(...entries: string[]): string {
  return ['document: test document', 'spec: virtio', 'requirements:', ...entries].join('\n') + '\n';
}

describe('loadRequirements on the real catalogue', () => {
  const known = loadSpecVersions(join(root, 'spec/versions.yaml'));
  const catalogue = loadRequirements(join(root, 'spec/requirements'), known.versions);

  it('loads without problems', () => {
    expect(known.problems).toEqual([]);
    expect(catalogue.problems).toEqual([]);
  });

  it('holds every PCI id the digest numbers', () => {
    const ids = new Set(catalogue.requirements.map((requirement) => requirement.id));
    const expected = [
      ...Array.from({ length: 53 }, (_, index) => `PCI-DEV-${String(index + 1).padStart(2, '0')}`),
      ...Array.from({ length: 34 }, (_, index) => `PCI-DRV-${String(index + 1).padStart(2, '0')}`),
      ...Array.from({ length: 9 }, (_, index) => `PCI-LEG-${String(index + 1).padStart(2, '0')}`),
    ];
    expect(expected.filter((id) => !ids.has(id))).toEqual([]);
  });

  it('gives every testable requirement a suite and every untestable one a reason', () => {
    for (const requirement of catalogue.requirements) {
      if (requirement.testable === true) expect(requirement.suite, requirement.id).toBeDefined();
      else expect((requirement.testable as { reason: string }).reason.length, requirement.id).toBeGreaterThan(10);
    }
  });

  it('names only features that the layouts define in virtio_features', () => {
    const layout = readLocatedYaml(join(root, 'spec/layouts/virtio/virtio-core.yaml'));
    if (!layout.ok) throw new Error('spec/layouts/virtio/virtio-core.yaml does not parse');
    const flagsets = (layout.yaml.data as { flagsets: { name: string; flags: { name: string }[] }[] }).flagsets;
    const features = flagsets.find((flagset) => flagset.name === 'virtio_features')?.flags ?? [];
    const knownFeatures = new Set(features.map((flag) => `VIRTIO_F_${flag.name}`));
    expect(knownFeatures.has('VIRTIO_F_VERSION_1')).toBe(true);
    const checked = loadRequirements(join(root, 'spec/requirements'), known.versions, { knownFeatures });
    expect(checked.problems).toEqual([]);
  });

  it('encodes the conformance-clause quirk and the CAN keyword of the vendor data section', () => {
    const byId = new Map(catalogue.requirements.map((requirement) => [requirement.id, requirement]));
    for (const id of ['PCI-DEV-38', 'PCI-DEV-39', 'PCI-DEV-40', 'PCI-DRV-21', 'PCI-DRV-22', 'PCI-DRV-32', 'PCI-DRV-33']) {
      expect(byId.get(id)?.conformanceClause, id).toBe(false);
    }
    expect(byId.get('PCI-DEV-02')?.conformanceClause).toBeUndefined();
    expect([byId.get('PCI-DEV-36')?.level, byId.get('PCI-DEV-37')?.level]).toEqual(['CAN', 'CAN']);
  });

  it('keeps file, line and column of each requirement', () => {
    const first = catalogue.requirements.find((requirement) => requirement.id === 'PCI-DEV-01');
    expect(first?.at.file).toMatch(/virtio-pci-transport\.yaml$/);
    expect(first?.at.line).toBeGreaterThan(1);
    expect(first?.spec).toBe('virtio');
  });
});

// Lines are asserted exactly; columns come from located-yaml's positioning, which this file does not own.
describe('resolveRequirements on broken input', () => {
  it('reports an id defined twice across files at the second definition', () => {
    const result = resolveRequirements(
      [parse(file(entry('PCI-DEV-01')), 'a.yaml'), parse(file(entry('PCI-DEV-02'), entry('PCI-DEV-01')), 'b.yaml')],
      versions,
    );
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ code: specDiagnostics.duplicateName.code, file: 'b.yaml', line: 13 });
    expect(result.problems[0]?.message).toContain('a.yaml:4:');
    expect(result.requirements.map((requirement) => requirement.id)).toEqual(['PCI-DEV-01', 'PCI-DEV-02']);
  });

  it('reports a since version the family does not know, at the since value', () => {
    const result = resolveRequirements([parse(file(entry('PCI-DEV-03', ['since: "9.9"'])), 'c.yaml')], versions);
    expect(result.problems).toEqual([
      expect.objectContaining({ code: specDiagnostics.unknownVersion.code, file: 'c.yaml', line: 13, path: ['requirements', 0, 'since'] }),
    ]);
  });

  it('reports an until that precedes since', () => {
    const result = resolveRequirements([parse(file(entry('PCI-DEV-03', ['since: "1.3"', 'until: "1.1"'])), 'c.yaml')], versions);
    expect(result.problems.map((problem) => [problem.code, problem.line])).toEqual([[specDiagnostics.schemaViolation.code, 14]]);
  });

  it('reports a missing level at the requirement that lacks it', () => {
    const result = resolveRequirements([parse(file(entry('PCI-DEV-04', [], ['level'])), 'd.yaml')], versions);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ code: specDiagnostics.schemaViolation.code, file: 'd.yaml', line: 4, column: 5 });
    expect(result.problems[0]?.message).toContain('level');
    expect(result.requirements).toEqual([]);
  });

  it('reports an id that does not follow the id pattern, at the id', () => {
    const result = resolveRequirements([parse(file(entry('pci-dev-1')), 'e.yaml')], versions);
    expect(result.problems).toEqual([
      expect.objectContaining({ code: specDiagnostics.schemaViolation.code, file: 'e.yaml', line: 4, path: ['requirements', 0, 'id'] }),
    ]);
  });

  it('requires a mode for testable device requirements and a suite for testable ones', () => {
    const noMode = resolveRequirements([parse(file(entry('PCI-DEV-05', [], ['mode'])), 'f.yaml')], versions);
    expect(noMode.problems.map((problem) => problem.code)).toEqual([specDiagnostics.schemaViolation.code]);
    const untestable = resolveRequirements(
      [parse(file(entry('PCI-DEV-05', ['testable: { reason: "cannot be observed from config space" }'], ['testable', 'suite', 'mode'])), 'g.yaml')],
      versions,
    );
    expect(untestable.problems).toEqual([]);
  });

  it('reports condition features outside the known set when one is given', () => {
    const yaml = parse(file(entry('PCI-DEV-08', ['conditions: { negotiated: [VIRTIO_F_RING_RESET, VIRTIO_F_NO_SUCH] }'])), 'i.yaml');
    const known = new Set(['VIRTIO_F_RING_RESET']);
    const checked = resolveRequirements([yaml], versions, { knownFeatures: known });
    expect(checked.problems).toEqual([
      expect.objectContaining({ code: specDiagnostics.unknownReference.code, line: 13, path: ['requirements', 0, 'conditions', 'negotiated', 1] }),
    ]);
    expect(resolveRequirements([yaml], versions).problems).toEqual([]);
  });

  it('reports a spec family that versions.yaml does not list', () => {
    const text = file(entry('PCI-DEV-06')).replace('spec: virtio', 'spec: nosuch');
    const result = resolveRequirements([parse(text, 'h.yaml')], versions);
    expect(result.problems.map((problem) => [problem.code, problem.line])).toEqual([[specDiagnostics.unknownSpecFamily.code, 2]]);
  });
});

describe('loadRequirements on a directory', () => {
  it('reports YAML syntax errors and reads the other files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xvc-req-'));
    writeFileSync(join(dir, 'a.yaml'), 'document: [unclosed\n');
    writeFileSync(join(dir, 'b.yaml'), file(entry('PCI-DEV-07')));
    const result = loadRequirements(dir, versions);
    expect(result.problems.map((problem) => problem.code)).toEqual([specDiagnostics.yamlSyntax.code]);
    expect(result.problems[0]?.file).toBe(join(dir, 'a.yaml'));
    expect(result.requirements.map((requirement) => requirement.id)).toEqual(['PCI-DEV-07']);
  });

  it('reports a missing directory as a read failure instead of throwing', () => {
    const result = loadRequirements(join(tmpdir(), 'xvc-no-such-dir-for-requirements'), versions);
    expect(result.problems.map((problem) => problem.code)).toEqual([specDiagnostics.readFailure.code]);
  });
});
