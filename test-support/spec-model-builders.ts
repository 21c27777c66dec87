/**
 * Small spec models for generator tests, built in code: a field, a layout, a union, an enum, a flag
 * set and a whole SpecModel, each with defaults a test overrides only where it matters.
 */
import type { EnumModel, FieldModel, FlagsetModel, LayoutModel, SpecModel, UnionModel } from '../generators/model/spec-model.ts';

/** The position every built element claims. */
export const testPosition = { file: 'test.yaml', line: 1, column: 1 };

function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

function pascal(name: string): string {
  const text = camel(name);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A field: an RO uint without constraints unless `partial` says otherwise. */
export function fieldModel(partial: Partial<FieldModel> & Pick<FieldModel, 'specName' | 'offset' | 'bits'>): FieldModel {
  return { name: camel(partial.specName), bit: 0, type: 'uint', open: false, access: 'RO', constraints: {}, doc: `${partial.specName} doc`, at: testPosition, ...partial };
}

/** A fixed little-endian layout in group `demo`. */
export function layoutModel(name: string, size: number, fields: FieldModel[], extra: Partial<LayoutModel> = {}): LayoutModel {
  return {
    kind: 'layout',
    name,
    typeName: pascal(name),
    title: `${name} title`,
    doc: `${name} doc`,
    ref: 'TEST §1',
    spec: 'virtio',
    proposal: false,
    size,
    variable: false,
    endianness: 'little',
    fields,
    group: 'demo',
    module: name.replace(/_/g, '-'),
    at: testPosition,
    ...extra,
  };
}

/** A union in group `demo`. */
export function unionModel(name: string, discriminator: UnionModel['discriminator'], cases: UnionModel['cases'], defaultLayout: string): UnionModel {
  return {
    kind: 'union',
    name,
    typeName: pascal(name),
    title: `${name} title`,
    doc: `${name} doc`,
    ref: 'TEST §2',
    spec: 'virtio',
    proposal: false,
    discriminator,
    cases,
    defaultLayout,
    group: 'demo',
    module: name.replace(/_/g, '-'),
    at: testPosition,
  };
}

/** An enum of `values` (name → value). */
export function enumModel(name: string, values: Readonly<Record<string, bigint>>): EnumModel {
  return {
    name,
    typeName: pascal(name),
    doc: `${name} doc`,
    values: Object.entries(values).map(([valueName, value]) => ({ name: valueName, value, doc: `${valueName} doc` })),
    group: 'demo',
    module: 'demo-defs',
    at: testPosition,
  };
}

/** A flag set of `flags` (name → bit). */
export function flagsetModel(name: string, flags: Readonly<Record<string, number>>): FlagsetModel {
  return {
    name,
    typeName: pascal(name),
    doc: `${name} doc`,
    flags: Object.entries(flags).map(([flagName, bit]) => ({ name: flagName, bit, doc: `${flagName} doc` })),
    group: 'demo',
    module: 'demo-defs',
    at: testPosition,
  };
}

/** A spec model holding exactly these definitions (files left empty unless given). */
export function specModel(parts: {
  layouts?: readonly (LayoutModel | UnionModel)[];
  enums?: readonly EnumModel[];
  flagsets?: readonly FlagsetModel[];
  files?: SpecModel['files'];
}): SpecModel {
  return {
    specDir: 'spec',
    versions: new Map([['virtio', ['1.0', '1.2']]]),
    files: parts.files ?? [],
    layouts: new Map((parts.layouts ?? []).map((layout) => [layout.name, layout])),
    enums: new Map((parts.enums ?? []).map((entry) => [entry.name, entry])),
    flagsets: new Map((parts.flagsets ?? []).map((entry) => [entry.name, entry])),
    constants: new Map(),
  };
}
