/**
 * Reads the files of spec/layouts one by one: YAML with positions, checked against the layout schema,
 * turned into the per-file model. What needs every file at once (references, nested sizes, overlaps)
 * is resolved afterwards by resolveLayouts (layouts.ts).
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import type { FieldAccess } from '../../core/codec-runtime.ts';
import { readLocatedYaml, type LocatedYaml } from '../../core/located-yaml.ts';
import { compileSchemaFile, validateLocated } from '../../core/schema-validator.ts';
import type { SourcePosition } from '../../core/source-position.ts';
import { specProblem, type SpecProblem } from '../../core/spec-problem.ts';
import { yamlInteger } from '../constraints/constraint-kind.ts';
import { readConstraints } from '../constraints/registry.ts';
import { camelCase, pascalCase } from '../model/names.ts';
import type {
  ConstantModel,
  EnumModel,
  FieldModel,
  FlagsetModel,
  LayoutFileModel,
  LayoutModel,
  StringConstantModel,
  UnionModel,
} from '../model/spec-model.ts';

/** Lists every `.yaml` file below `dir`, sorted so that output and diagnostics are deterministic. */
export function listYamlFiles(dir: string): string[] {
  const found: string[] = [];
  const visit = (current: string): void => {
    for (const entry of readdirSync(current).sort()) {
      const full = join(current, entry);
      if (statSync(full).isDirectory()) visit(full);
      else if (entry.endsWith('.yaml') || entry.endsWith('.yml')) found.push(full);
    }
  };
  visit(dir);
  return found;
}

/** Raw YAML shapes, as the schema guarantees them. */
interface RawField {
  name: string;
  offset: number;
  bit?: number;
  bits?: number;
  bytes?: number | 'rest';
  type?: FieldModel['type'];
  enum?: string;
  open?: boolean;
  flags?: string;
  layout?: string;
  array?: { count: number; bits?: 8 | 16 | 32 | 64; layout?: string };
  access?: FieldAccess;
  constraints?: Record<string, unknown>;
  requirement?: string;
  since?: string;
  until?: string;
  doc: string;
}

interface RawFile {
  spec: string;
  ref: string;
  proposal?: boolean;
  constants?: { name: string; value: unknown; doc: string; ref?: string; since?: string }[];
  strings?: { name: string; value: string; doc: string; ref?: string }[];
  enums?: {
    name: string;
    doc: string;
    ref?: string;
    values: { name: string; value: unknown; doc: string; since?: string; until?: string }[];
  }[];
  flagsets?: { name: string; doc: string; ref?: string; flags: { name: string; bit: number; doc: string; since?: string }[] }[];
  layout?: {
    name: string;
    title: string;
    doc: string;
    ref?: string;
    size?: number;
    minSize?: number;
    sizeMultipleOf?: number;
    endianness?: 'little' | 'big';
    fields: RawField[];
  };
  union?: {
    name: string;
    title: string;
    doc: string;
    ref?: string;
    discriminator: { field?: string; offset: number; bits: 8 | 16 | 32; mask?: number };
    cases: { values: number[]; layout: string }[];
    default: string;
  };
}

/** The layout files of spec/layouts, parsed and schema-checked, before cross-file resolution. */
export interface ParsedLayoutFiles {
  files: LayoutFileModel[];
  problems: SpecProblem[];
}

/**
 * Reads every spec/layouts file, validates it against the layout schema and builds the per-file
 * model. Cross-file checks (references, sizes of nested layouts, overlaps) happen in
 * {@link resolveLayouts}, once every file is known.
 */
export function parseLayoutFiles(layoutsDir: string, schemaFile: string, repoRoot: string): ParsedLayoutFiles {
  const validate = compileSchemaFile(schemaFile);
  const files: LayoutFileModel[] = [];
  const problems: SpecProblem[] = [];
  for (const file of listYamlFiles(layoutsDir)) {
    const display = relative(repoRoot, file);
    const parsed = readLocatedYaml(file, display);
    if (!parsed.ok) {
      problems.push(...parsed.problems);
      continue;
    }
    const yaml: LocatedYaml = parsed.yaml;
    const schemaProblems = validateLocated(yaml, validate);
    if (schemaProblems.length > 0) {
      problems.push(...schemaProblems);
      continue;
    }
    const group = relative(layoutsDir, file).split(sep).slice(0, -1).join('/') || 'misc';
    const module = basename(file).replace(/\.ya?ml$/, '');
    files.push(buildFileModel(yaml, group, module, problems));
  }
  return { files, problems };
}

function buildFileModel(yaml: LocatedYaml, group: string, module: string, problems: SpecProblem[]): LayoutFileModel {
  const raw = yaml.data as RawFile;
  const at = (path: (string | number)[]): SourcePosition => yaml.positionOf(path);
  const proposal = raw.proposal ?? false;
  const constants: ConstantModel[] = (raw.constants ?? []).map((constant, index) => ({
    name: constant.name,
    value: yamlInteger(constant.value),
    doc: constant.doc,
    ...(constant.ref !== undefined && { ref: constant.ref }),
    ...(constant.since !== undefined && { since: constant.since }),
    group,
    module,
    at: at(['constants', index]),
  }));
  const strings: StringConstantModel[] = (raw.strings ?? []).map((entry, index) => ({
    name: entry.name,
    value: entry.value,
    doc: entry.doc,
    ...(entry.ref !== undefined && { ref: entry.ref }),
    group,
    module,
    at: at(['strings', index]),
  }));
  const enums: EnumModel[] = (raw.enums ?? []).map((entry, index) => ({
    name: entry.name,
    typeName: pascalCase(entry.name),
    doc: entry.doc,
    ...(entry.ref !== undefined && { ref: entry.ref }),
    values: entry.values.map((value) => ({
      name: value.name,
      value: yamlInteger(value.value),
      doc: value.doc,
      ...(value.since !== undefined && { since: value.since }),
      ...(value.until !== undefined && { until: value.until }),
    })),
    group,
    module,
    at: at(['enums', index]),
  }));
  const flagsets: FlagsetModel[] = (raw.flagsets ?? []).map((entry, index) => ({
    name: entry.name,
    typeName: pascalCase(entry.name),
    doc: entry.doc,
    ...(entry.ref !== undefined && { ref: entry.ref }),
    flags: entry.flags.map((flag) => ({ ...flag })),
    group,
    module,
    at: at(['flagsets', index]),
  }));
  let layout: LayoutModel | UnionModel | undefined;
  if (raw.layout) {
    const rawLayout = raw.layout;
    const fields = rawLayout.fields.map((field, index) => buildField(field, at(['layout', 'fields', index])));
    layout = {
      kind: 'layout',
      name: rawLayout.name,
      typeName: pascalCase(rawLayout.name),
      title: rawLayout.title,
      doc: rawLayout.doc,
      ref: rawLayout.ref ?? raw.ref,
      spec: raw.spec,
      proposal,
      size: rawLayout.size ?? rawLayout.minSize ?? 0,
      variable: rawLayout.size === undefined,
      ...(rawLayout.sizeMultipleOf !== undefined && { sizeMultipleOf: rawLayout.sizeMultipleOf }),
      endianness: rawLayout.endianness ?? 'little',
      fields,
      group,
      module,
      at: at(['layout']),
    };
  } else if (raw.union) {
    const rawUnion = raw.union;
    layout = {
      kind: 'union',
      name: rawUnion.name,
      typeName: pascalCase(rawUnion.name),
      title: rawUnion.title,
      doc: rawUnion.doc,
      ref: rawUnion.ref ?? raw.ref,
      spec: raw.spec,
      proposal,
      discriminator: { ...rawUnion.discriminator },
      cases: rawUnion.cases.map((entry) => ({ values: [...entry.values], layoutName: entry.layout })),
      defaultLayout: rawUnion.default,
      group,
      module,
      at: at(['union']),
    };
  }
  if (layout && layout.name.replace(/_/g, '-') !== module) {
    problems.push(
      specProblem(
        'fileNameMismatch',
        at([layout.kind, 'name']),
        [layout.kind, 'name'],
        `file '${module}.yaml' holds layout '${layout.name}'; name the file '${layout.name.replace(/_/g, '-')}.yaml'`,
      ),
    );
  }
  return {
    file: yaml.file,
    group,
    module,
    spec: raw.spec,
    ref: raw.ref,
    proposal,
    constants,
    strings,
    enums,
    flagsets,
    ...(layout && { layout }),
  };
}

function buildField(raw: RawField, at: SourcePosition): FieldModel {
  const type = raw.type ?? 'uint';
  const field: FieldModel = {
    specName: raw.name,
    name: camelCase(raw.name),
    offset: raw.offset,
    bit: raw.bit ?? 0,
    bits: raw.bits ?? 0,
    type,
    open: raw.open ?? false,
    access: raw.access ?? 'RO',
    constraints: readConstraints(raw.constraints),
    doc: raw.doc,
    at,
  };
  // A bool is one bit unless the spec says otherwise (the schema allows only 1).
  if (type === 'bool' && raw.bits === undefined) field.bits = 1;
  if (raw.bytes !== undefined) {
    field.bytes = raw.bytes;
    field.bits = raw.bytes === 'rest' ? 0 : raw.bytes * 8;
  }
  if (raw.enum !== undefined) field.enumName = raw.enum;
  if (raw.flags !== undefined) field.flagsetName = raw.flags;
  if (raw.layout !== undefined) field.layoutName = raw.layout;
  if (raw.array !== undefined) field.array = { ...raw.array, ...(raw.array.layout !== undefined && { layoutName: raw.array.layout }) };
  if (raw.requirement !== undefined) field.requirement = raw.requirement;
  if (raw.since !== undefined) field.since = raw.since;
  if (raw.until !== undefined) field.until = raw.until;
  return field;
}
