import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { specDiagnostics } from '../../core/diagnostics.ts';
import { parseLocatedYaml } from '../../core/located-yaml.ts';
import { loadMechanisms, mechanismSchemaFile, resolveMechanisms, type LoadMechanismsOptions } from './mechanisms.ts';
import { compileSchemaFile } from '../../core/schema-validator.ts';
import { loadSpec } from './spec.ts';

const repoRoot = join(import.meta.dirname, '..', '..');
const versions = new Map([
  ['linux', ['6.1', '6.2']],
  ['xen', ['4.17', '4.18']],
]);
const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** One valid entry, 10 lines, starting with `  - id: <id>`; every key of the entry starts at column 5. */
function entry(id: string, writer = 'toolstack', trusted = true, extra = ''): string {
  return [
    `  - id: ${id}`,
    `    title: Title of ${id}`,
    '    summary: What the frontend reads.',
    `    writer: ${writer}`,
    `    trusted: ${trusted}`,
    '    dependencies: [device-tree]',
    '    architectures: [arm]',
    '    virtioSpecChange: false',
    '    status: upstream',
    '    sources: [digest §5.4]',
    ...(extra ? [extra] : []),
  ].join('\n');
}

function resolveText(text: string, options: LoadMechanismsOptions = { versions }) {
  const parsed = parseLocatedYaml(text, 'mechanisms.yaml');
  if (!parsed.ok) return { mechanisms: [], problems: parsed.problems };
  return resolveMechanisms(parsed.yaml, options);
}

/**
 * `line:column code` of every problem, the form the expectations below are written in. A problem
 * about a key is reported where the key is written, also inside flow mappings such as `since`.
 */
function located(text: string, options?: LoadMechanismsOptions): string[] {
  return resolveText(text, options).problems.map((problem) => `${problem.line}:${problem.column} ${problem.code}`);
}

describe('the real spec/mechanisms.yaml', () => {
  const { model, problems: specProblems } = loadSpec(join(repoRoot, 'spec'), { repoRoot });
  const layoutNames = new Set(model?.layouts.keys() ?? []);
  const { mechanisms, problems } = loadMechanisms(join(repoRoot, 'spec', 'mechanisms.yaml'), { layoutNames });

  it('loads without problems, layouts and versions included', () => {
    expect(specProblems).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('lists every mechanism of the design, with the two virtio-iommu variants', () => {
    const ids = mechanisms.map((mechanism) => mechanism.id);
    for (const id of [
      'dt-iommus',
      'dt-iommu-map',
      'acpi-table',
      'xenstore',
      'root-complex-register',
      'device-register',
      'virtio-capability',
      'vendor-data-capability',
      'dummy-pci-device',
      'virtio-iommu-trusted',
      'virtio-iommu-backend',
      'boot-parameter',
      'dom0-default',
    ]) {
      expect(ids).toContain(id);
    }
    const byId = new Map(mechanisms.map((mechanism) => [mechanism.id, mechanism]));
    expect(byId.get('virtio-iommu-trusted')?.trusted).toBe(true);
    expect(byId.get('virtio-iommu-backend')?.trusted).toBe(false);
    expect(byId.get('vendor-data-capability')?.writer).toBe('backend');
    expect(byId.get('dom0-default')?.writer).toBe('constant');
  });

  it('marks a mechanism trusted exactly when the backend does not write the value', () => {
    for (const mechanism of mechanisms) expect(mechanism.trusted, mechanism.id).toBe(mechanism.writer !== 'backend');
  });

  it('points each mechanism at the line it is written on', () => {
    expect(mechanisms[0]?.at.line).toBeGreaterThan(1);
    expect(new Set(mechanisms.map((mechanism) => mechanism.at.line)).size).toBe(mechanisms.length);
  });
});

describe('the mechanism schema', () => {
  it('compiles under ajv strict mode', () => {
    expect(() => compileSchemaFile(mechanismSchemaFile)).not.toThrow();
  });
});

describe('broken mechanism files give located problems', () => {
  const { yamlSyntax, schemaViolation, duplicateName, unknownReference, unknownVersion, unknownSpecFamily, readFailure } =
    specDiagnostics;

  it('accepts two distinct valid entries', () => {
    const result = resolveText(`mechanisms:\n${entry('alpha')}\n${entry('beta', 'backend', false)}\n`);
    expect(result.problems).toEqual([]);
    expect(result.mechanisms.map((mechanism) => [mechanism.id, mechanism.at.line])).toEqual([
      ['alpha', 2],
      ['beta', 12],
    ]);
  });

  it('reports a duplicate id at the second occurrence', () => {
    expect(located(`mechanisms:\n${entry('alpha')}\n${entry('alpha')}\n`)).toEqual([`12:5 ${duplicateName.code}`]);
  });

  it('reports an unknown layout when layout names are given, and not otherwise', () => {
    const text = `mechanisms:\n${entry('alpha', 'toolstack', true, '    layout: no_such_layout')}\n`;
    expect(located(text, { versions, layoutNames: new Set(['pci_requester_id']) })).toEqual([`12:5 ${unknownReference.code}`]);
    expect(located(text, { versions })).toEqual([]);
  });

  it('reports an unknown version and an unknown family', () => {
    const badVersion = `mechanisms:\n${entry('alpha', 'toolstack', true, '    since: { family: linux, version: "9.9" }')}\n`;
    expect(located(badVersion)).toEqual([`12:29 ${unknownVersion.code}`]);
    const badFamily = `mechanisms:\n${entry('alpha', 'toolstack', true, '    until: { family: bsd, version: "1" }')}\n`;
    expect(located(badFamily)).toEqual([`12:14 ${unknownSpecFamily.code}`]);
  });

  it('reports an until that does not come after since', () => {
    const text = `mechanisms:\n${entry('alpha', 'toolstack', true, '    since: { family: xen, version: "4.18" }\n    until: { family: xen, version: "4.17" }')}\n`;
    expect(located(text)).toEqual([`13:27 ${schemaViolation.code}`]);
  });

  it('rejects a backend-written value marked trusted, and a trusted-party value marked untrusted', () => {
    expect(located(`mechanisms:\n${entry('alpha', 'backend', true)}\n`)).toContain(`6:5 ${schemaViolation.code}`);
    expect(located(`mechanisms:\n${entry('alpha', 'hypervisor', false)}\n`)).toContain(`6:5 ${schemaViolation.code}`);
  });

  it('rejects unknown keys, bad ids and unknown writers at their position', () => {
    expect(located(`mechanisms:\n${entry('alpha', 'toolstack', true, '    colour: red')}\n`)).toEqual([`12:5 ${schemaViolation.code}`]);
    expect(located(`mechanisms:\n${entry('Not_Kebab')}\n`)).toEqual([`2:5 ${schemaViolation.code}`]);
    expect(located(`mechanisms:\n${entry('alpha', 'the-backend', false)}\n`)).toContain(`5:5 ${schemaViolation.code}`);
  });

  it('reports YAML syntax errors instead of throwing', () => {
    const problems = located('mechanisms:\n  - id: [unclosed\n');
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((problem) => problem.endsWith(yamlSyntax.code))).toBe(true);
  });

  it('reports an unreadable file as a problem', () => {
    const result = loadMechanisms(join(tmpdir(), 'xvc-no-such-dir', 'mechanisms.yaml'));
    expect(result.mechanisms).toEqual([]);
    expect(result.problems.map((problem) => problem.code)).toEqual([readFailure.code]);
  });

  it('checks versions against the versions.yaml next to the file by default', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xvc-mechanisms-'));
    scratch.push(dir);
    writeFileSync(join(dir, 'versions.yaml'), 'families:\n  linux:\n    doc: Linux\n    versions: ["6.1"]\n');
    writeFileSync(join(dir, 'mechanisms.yaml'), `mechanisms:\n${entry('alpha', 'toolstack', true, '    since: { family: linux, version: "6.2" }')}\n`);
    const result = loadMechanisms(join(dir, 'mechanisms.yaml'), { display: 'spec/mechanisms.yaml' });
    expect(result.problems.map((problem) => `${problem.file}:${problem.line}:${problem.column} ${problem.code}`)).toEqual([
      `spec/mechanisms.yaml:12:29 ${unknownVersion.code}`,
    ]);
  });
});
