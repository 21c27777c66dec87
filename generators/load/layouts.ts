import { readdirSync, statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import type {
  ConstantModel,
  EnumModel,
  FieldConstraints,
  FieldModel,
  FlagsetModel,
  LayoutFileModel,
  LayoutModel,
  StringConstantModel,
  UnionModel,
} from '../model/spec-model.ts';
import type { FieldAccess } from '../../core/codec-runtime.ts';
import { readLocatedYaml, type LocatedYaml } from '../../core/located-yaml.ts';
import { compileSchemaFile, validateLocated } from '../../core/schema-validator.ts';
import { specProblem, type SpecProblem } from '../../core/spec-problem.ts';
import type { SourcePosition } from '../../core/source-position.ts';
import { findSatisfyingValue } from './constraint-solver.ts';

/** Converts `snake_case` to `camelCase`. */
export function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/** Converts `snake_case` to `PascalCase`. */
export function pascalCase(name: string): string {
  const camel = camelCase(name);
  return camel.charAt(0).toUpperCase() + camel.slice(1);
}

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

function toBigInt(value: unknown): bigint {
  if (typeof value === 'number') return BigInt(value);
  if (typeof value === 'string') return BigInt(value);
  return 0n;
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

function normaliseConstraints(raw: Record<string, unknown> | undefined): FieldConstraints {
  const constraints: FieldConstraints = {};
  if (!raw) return constraints;
  if (raw.const !== undefined) constraints.const = toBigInt(raw.const);
  if (Array.isArray(raw.oneOf)) constraints.oneOf = raw.oneOf.map(toBigInt);
  if (Array.isArray(raw.range)) constraints.range = [toBigInt(raw.range[0]), toBigInt(raw.range[1])];
  if (typeof raw.align === 'number') constraints.align = raw.align;
  if (typeof raw.multipleOf === 'number') constraints.multipleOf = raw.multipleOf;
  if (raw.powerOfTwo === true || raw.powerOfTwo === 'orZero') constraints.powerOfTwo = raw.powerOfTwo;
  if (Array.isArray(raw.notEqual)) constraints.notEqual = raw.notEqual.map(toBigInt);
  return constraints;
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
    value: toBigInt(constant.value),
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
      value: toBigInt(value.value),
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
    constraints: normaliseConstraints(raw.constraints),
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

/** Bit range [start, end) a field occupies; `end` is Infinity for a `rest` tail. */
export function fieldBitRange(field: FieldModel): [number, number] {
  const start = field.offset * 8 + field.bit;
  return [start, field.bytes === 'rest' ? Number.POSITIVE_INFINITY : start + field.bits];
}

/**
 * Resolves references between files and runs every semantic check. Mutates nothing but the
 * `bits` of nested-layout and array fields (their width is known only once the nested layout is).
 */
export function resolveLayouts(
  files: LayoutFileModel[],
  versions: Map<string, string[]>,
  knownRequirements: ReadonlySet<string> | undefined,
): {
  problems: SpecProblem[];
  layouts: Map<string, LayoutModel | UnionModel>;
  enums: Map<string, EnumModel>;
  flagsets: Map<string, FlagsetModel>;
  constants: Map<string, ConstantModel>;
} {
  const problems: SpecProblem[] = [];
  const layouts = new Map<string, LayoutModel | UnionModel>();
  const enums = new Map<string, EnumModel>();
  const flagsets = new Map<string, FlagsetModel>();
  const constants = new Map<string, ConstantModel>();
  // Every generated name lands in one TypeScript namespace (generated/ts/index.ts), so uniqueness
  // is checked across kinds too: an enum and a layout may not share a PascalCase name.
  const exported = new Map<string, SourcePosition>();
  const claim = (exportName: string, at: SourcePosition, what: string): boolean => {
    const previous = exported.get(exportName);
    if (previous) {
      problems.push(
        specProblem('duplicateName', at, [], `${what} '${exportName}' is already defined at ${previous.file}:${previous.line}:${previous.column}`),
      );
      return false;
    }
    exported.set(exportName, at);
    return true;
  };

  for (const file of files) {
    const family = versions.get(file.spec);
    if (!family) {
      problems.push(
        specProblem('unknownSpecFamily', { file: file.file, line: 1, column: 1 }, ['spec'], `spec family '${file.spec}' is not listed in spec/versions.yaml`),
      );
    }
    const checkVersion = (version: string | undefined, at: SourcePosition, what: string): void => {
      if (version !== undefined && family && !family.includes(version)) {
        problems.push(
          specProblem('unknownVersion', at, [], `${what}: '${version}' is not a known ${file.spec} version (known: ${family.join(', ')})`),
        );
      }
    };
    for (const constant of file.constants) {
      checkVersion(constant.since, constant.at, `constant ${constant.name}`);
      if (claim(constant.name, constant.at, 'constant')) constants.set(constant.name, constant);
    }
    for (const entry of file.strings ?? []) claim(entry.name, entry.at, 'string constant');
    for (const entry of file.enums) {
      if (claim(entry.typeName, entry.at, 'enum')) enums.set(entry.name, entry);
      const seenNames = new Set<string>();
      const seenValues = new Set<bigint>();
      for (const value of entry.values) {
        checkVersion(value.since, entry.at, `enum ${entry.name}.${value.name} since`);
        checkVersion(value.until, entry.at, `enum ${entry.name}.${value.name} until`);
        if (seenNames.has(value.name) || seenValues.has(value.value)) {
          problems.push(specProblem('duplicateName', entry.at, [], `enum ${entry.name}: duplicate name or value at ${value.name}`));
        }
        seenNames.add(value.name);
        seenValues.add(value.value);
      }
    }
    for (const entry of file.flagsets) {
      if (claim(entry.typeName, entry.at, 'flag set')) flagsets.set(entry.name, entry);
      const seen = new Set<string>();
      const seenBits = new Set<number>();
      for (const flag of entry.flags) {
        checkVersion(flag.since, entry.at, `flag ${entry.name}.${flag.name}`);
        if (seen.has(flag.name) || seenBits.has(flag.bit)) {
          problems.push(specProblem('duplicateName', entry.at, [], `flag set ${entry.name}: duplicate name or bit at ${flag.name}`));
        }
        seen.add(flag.name);
        seenBits.add(flag.bit);
      }
    }
    if (file.layout) {
      if (claim(file.layout.typeName, file.layout.at, 'layout')) layouts.set(file.layout.name, file.layout);
      // The generated module also exports NAME_SIZE and NAME_OFFSETS; a constant may not shadow them.
      if (file.layout.kind === 'layout') {
        const upper = file.layout.name.toUpperCase();
        claim(`${upper}_SIZE`, file.layout.at, 'generated size constant of a layout');
        claim(`${upper}_OFFSETS`, file.layout.at, 'generated offsets table of a layout');
      }
      if (file.layout.kind === 'layout') {
        for (const field of file.layout.fields) {
          checkVersion(field.since, field.at, `field ${field.specName} since`);
          checkVersion(field.until, field.at, `field ${field.specName} until`);
        }
      }
    }
  }

  // Nested layout sizes, resolved with cycle detection.
  const sizeOf = new Map<string, number>();
  const resolving = new Set<string>();
  const layoutSize = (name: string, at: SourcePosition): number | undefined => {
    const known = sizeOf.get(name);
    if (known !== undefined) return known;
    const target = layouts.get(name);
    if (!target) return undefined;
    if (target.kind === 'union') {
      problems.push(specProblem('unknownReference', at, [], `'${name}' is a union; only fixed layouts can be nested`));
      return undefined;
    }
    if (target.variable) {
      problems.push(specProblem('unknownReference', at, [], `'${name}' has a variable size and cannot be nested`));
      return undefined;
    }
    if (resolving.has(name)) {
      problems.push(specProblem('unknownReference', at, [], `layout '${name}' contains itself`));
      return undefined;
    }
    resolving.add(name);
    for (const field of target.fields) resolveFieldWidth(field);
    resolving.delete(name);
    sizeOf.set(name, target.size);
    return target.size;
  };
  const resolveFieldWidth = (field: FieldModel): void => {
    if (field.type === 'layout' && field.layoutName !== undefined) {
      const size = layoutSize(field.layoutName, field.at);
      if (size !== undefined) field.bits = size * 8;
    } else if (field.type === 'array' && field.array) {
      if (field.array.bits !== undefined) field.bits = field.array.bits * field.array.count;
      else if (field.array.layoutName !== undefined) {
        const size = layoutSize(field.array.layoutName, field.at);
        if (size !== undefined) field.bits = size * 8 * field.array.count;
      }
    }
  };

  for (const layout of layouts.values()) {
    if (layout.kind === 'union') {
      checkUnion(layout, layouts, problems);
      continue;
    }
    for (const field of layout.fields) {
      checkReferences(field, layouts, enums, flagsets, problems);
      resolveFieldWidth(field);
      if (field.requirement !== undefined && knownRequirements && !knownRequirements.has(field.requirement)) {
        problems.push(specProblem('unknownRequirement', field.at, [], `field ${field.specName}: requirement '${field.requirement}' is not in spec/requirements`));
      }
    }
    checkFieldShapes(layout, enums, problems);
  }
  return { problems, layouts, enums, flagsets, constants };
}

function checkReferences(
  field: FieldModel,
  layouts: Map<string, LayoutModel | UnionModel>,
  enums: Map<string, EnumModel>,
  flagsets: Map<string, FlagsetModel>,
  problems: SpecProblem[],
): void {
  const missing = (kind: string, name: string): void => {
    problems.push(specProblem('unknownReference', field.at, [], `field ${field.specName}: unknown ${kind} '${name}'`));
  };
  if (field.enumName !== undefined && !enums.has(field.enumName)) missing('enum', field.enumName);
  if (field.flagsetName !== undefined && !flagsets.has(field.flagsetName)) missing('flag set', field.flagsetName);
  if (field.layoutName !== undefined && !layouts.has(field.layoutName)) missing('layout', field.layoutName);
  if (field.array?.layoutName !== undefined && !layouts.has(field.array.layoutName)) missing('layout', field.array.layoutName);
}

function checkUnion(union: UnionModel, layouts: Map<string, LayoutModel | UnionModel>, problems: SpecProblem[]): void {
  const seen = new Map<number, string>();
  const names = [...union.cases.map((entry) => entry.layoutName), union.defaultLayout];
  for (const name of names) {
    const target = layouts.get(name);
    if (!target) {
      problems.push(specProblem('unknownReference', union.at, [], `union ${union.name}: unknown layout '${name}'`));
      continue;
    }
    if (target.kind === 'union') {
      problems.push(specProblem('invalidUnion', union.at, [], `union ${union.name}: case '${name}' is itself a union`));
      continue;
    }
    const end = union.discriminator.offset + union.discriminator.bits / 8;
    if (end > target.size) {
      problems.push(specProblem('invalidUnion', union.at, [], `union ${union.name}: discriminator ends at byte ${end}, past the ${target.size}-byte layout '${name}'`));
    }
  }
  for (const entry of union.cases) {
    for (const value of entry.values) {
      const previous = seen.get(value);
      if (previous !== undefined) {
        problems.push(specProblem('invalidUnion', union.at, [], `union ${union.name}: value ${value} selects both '${previous}' and '${entry.layoutName}'`));
      }
      seen.set(value, entry.layoutName);
      const limit = union.discriminator.mask ?? 2 ** union.discriminator.bits - 1;
      if (value > limit || (union.discriminator.mask !== undefined && (value & ~union.discriminator.mask) !== 0)) {
        problems.push(specProblem('invalidUnion', union.at, [], `union ${union.name}: value ${value} can never be read through the discriminator`));
      }
    }
  }
}

function checkFieldShapes(layout: LayoutModel, enums: Map<string, EnumModel>, problems: SpecProblem[]): void {
  const names = new Set<string>();
  for (const field of layout.fields) {
    if (names.has(field.specName)) {
      problems.push(specProblem('duplicateName', field.at, [], `layout ${layout.name}: field '${field.specName}' is defined twice`));
    }
    names.add(field.specName);
    const integerLike = field.type === 'uint' || field.type === 'bool' || field.type === 'enum' || field.type === 'flags';
    if (integerLike && field.bits === 0) {
      problems.push(specProblem('invalidWidth', field.at, [], `field ${field.specName}: an integer field needs a width (bits)`));
    }
    if (integerLike) {
      const containerBytes = Math.ceil((field.bit + field.bits) / 8);
      if (field.bits > 64 || containerBytes > 8) {
        problems.push(specProblem('invalidWidth', field.at, [], `field ${field.specName}: a ${field.bits}-bit field starting at bit ${field.bit} spans ${containerBytes} bytes (at most 8)`));
      }
    } else if (field.bit !== 0) {
      problems.push(specProblem('invalidWidth', field.at, [], `field ${field.specName}: only integer fields may start inside a byte`));
    }
    if (field.type === 'array' && field.array?.bits !== undefined && field.bit !== 0) {
      problems.push(specProblem('invalidWidth', field.at, [], `field ${field.specName}: arrays must be byte aligned`));
    }
    const [start, end] = fieldBitRange(field);
    if (field.bytes === 'rest') {
      if (!layout.variable) {
        problems.push(specProblem('fieldPastSize', field.at, [], `field ${field.specName}: a 'rest' tail needs a variable layout (minSize, not size)`));
      } else if (field.offset > layout.size) {
        problems.push(specProblem('fieldPastSize', field.at, [], `field ${field.specName}: the tail starts at byte ${field.offset}, past minSize ${layout.size}`));
      }
    } else if (end > layout.size * 8) {
      problems.push(
        specProblem('fieldPastSize', field.at, [], `field ${field.specName}: ends at byte ${Math.ceil(end / 8)} (bit ${end}), past the layout's ${layout.variable ? 'minSize' : 'size'} of ${layout.size}`),
      );
    }
    void start;
    if (integerLike) checkConstraints(layout, field, enums, problems);
    else if (Object.keys(field.constraints).length > 0) {
      problems.push(specProblem('unsatisfiableConstraint', field.at, [], `field ${field.specName}: constraints apply only to integer fields`));
    }
  }
  // Overlaps: sort by start bit; any field starting before the previous one ends overlaps it.
  const sorted = [...layout.fields].sort((a, b) => fieldBitRange(a)[0] - fieldBitRange(b)[0]);
  for (let index = 1; index < sorted.length; index++) {
    const previous = sorted[index - 1]!;
    const current = sorted[index]!;
    if (fieldBitRange(current)[0] < fieldBitRange(previous)[1]) {
      problems.push(
        specProblem('overlappingFields', current.at, [], `layout ${layout.name}: field '${current.specName}' overlaps '${previous.specName}' (bits ${fieldBitRange(current)[0]} < ${fieldBitRange(previous)[1]})`),
      );
    }
  }
  const tail = layout.fields.find((field) => field.bytes === 'rest');
  if (tail && sorted[sorted.length - 1] !== tail) {
    problems.push(specProblem('overlappingFields', tail.at, [], `layout ${layout.name}: the 'rest' tail '${tail.specName}' must be the last field`));
  }
  // Every bit of the fixed part must belong to a field, so that encode(decode(bytes)) keeps the bytes;
  // reserved space is written down as an explicit reserved field.
  let covered = 0;
  for (const field of sorted) {
    const [start, end] = fieldBitRange(field);
    if (start > covered) {
      problems.push(
        specProblem('uncoveredBits', field.at, [], `layout ${layout.name}: bits ${covered}..${start - 1} (byte ${Math.floor(covered / 8)}) belong to no field; add a reserved field`),
      );
    }
    covered = Math.max(covered, end);
  }
  if (covered < layout.size * 8) {
    problems.push(
      specProblem('uncoveredBits', layout.at, [], `layout ${layout.name}: bits ${covered}..${layout.size * 8 - 1} (from byte ${Math.floor(covered / 8)}) belong to no field; add a reserved field`),
    );
  }
}

function checkConstraints(layout: LayoutModel, field: FieldModel, enums: Map<string, EnumModel>, problems: SpecProblem[]): void {
  const max = (1n << BigInt(field.bits)) - 1n;
  const enumValues =
    field.type === 'enum' && !field.open && field.enumName !== undefined
      ? enums.get(field.enumName)?.values.map((value) => value.value)
      : undefined;
  if (field.type === 'enum' && field.enumName !== undefined) {
    for (const value of enums.get(field.enumName)?.values ?? []) {
      if (value.value > max) {
        problems.push(specProblem('invalidWidth', field.at, [], `field ${field.specName}: enum value ${value.name}=${value.value} does not fit in ${field.bits} bits`));
      }
    }
  }
  const problem = findSatisfyingValue(field.constraints, field.bits, enumValues);
  if (problem.ok === false) {
    problems.push(specProblem('unsatisfiableConstraint', field.at, [], `layout ${layout.name}, field ${field.specName}: ${problem.reason}`));
  }
}
