/**
 * The resolved, validated spec that emitters consume. Loaders (generators/load/) build it from
 * spec/**.yaml; emitters (generators/emit/) turn it into generated/ files. Every element keeps the
 * position it was written at, so later checks can still point into the YAML.
 */
import type { FieldAccess } from '../../core/codec-runtime.ts';
import type { SourcePosition } from '../../core/source-position.ts';

/**
 * Constraints of one field as written under `constraints:`, values normalised to bigint so that
 * 64-bit fields need no special case. Each key is read, checked and emitted by its kind in
 * generators/constraints/.
 */
export interface FieldConstraints {
  const?: bigint;
  oneOf?: bigint[];
  range?: [bigint, bigint];
  align?: number;
  multipleOf?: number;
  powerOfTwo?: true | 'orZero';
  notEqual?: bigint[];
}

/** One field of a layout, resolved. */
export interface FieldModel {
  specName: string;
  /** camelCase property name used in generated TypeScript. */
  name: string;
  offset: number;
  bit: number;
  /**
   * Width in bits for integer-like fields (uint, bool, enum, flags); for `bytes` 8 x length;
   * for `layout`/`array` the total width; 0 for a `rest` tail.
   */
  bits: number;
  type: 'uint' | 'bool' | 'enum' | 'flags' | 'bytes' | 'layout' | 'array';
  /** Byte length of a `bytes` field; 'rest' for a tail that runs to the end of the data. */
  bytes?: number | 'rest';
  enumName?: string;
  /** enum only: values outside the enum are not an issue. */
  open: boolean;
  flagsetName?: string;
  layoutName?: string;
  array?: { count: number; bits?: 8 | 16 | 32 | 64; layoutName?: string };
  access: FieldAccess;
  constraints: FieldConstraints;
  requirement?: string;
  since?: string;
  until?: string;
  doc: string;
  at: SourcePosition;
}

/** A fixed or variable-size layout. */
export interface LayoutModel {
  kind: 'layout';
  name: string;
  /** PascalCase type name, e.g. `VirtioPciCap`. */
  typeName: string;
  title: string;
  doc: string;
  ref: string;
  spec: string;
  proposal: boolean;
  /** Fixed size, or minimum size when `variable`. */
  size: number;
  variable: boolean;
  sizeMultipleOf?: number;
  endianness: 'little' | 'big';
  fields: FieldModel[];
  /** Spec directory group: pci, virtio, xen, proposals, ... */
  group: string;
  /** Module base name (kebab-case file name without extension). */
  module: string;
  at: SourcePosition;
}

/** A union: one discriminator read from the bytes selects the layout of the case. */
export interface UnionModel {
  kind: 'union';
  name: string;
  typeName: string;
  title: string;
  doc: string;
  ref: string;
  spec: string;
  proposal: boolean;
  discriminator: { field?: string; offset: number; bits: 8 | 16 | 32; mask?: number };
  cases: { values: number[]; layoutName: string }[];
  defaultLayout: string;
  group: string;
  module: string;
  at: SourcePosition;
}

/** A named integer constant. */
export interface ConstantModel {
  name: string;
  value: bigint;
  doc: string;
  ref?: string;
  since?: string;
  group: string;
  module: string;
  at: SourcePosition;
}

/** A named text constant. */
export interface StringConstantModel {
  name: string;
  value: string;
  doc: string;
  ref?: string;
  group: string;
  module: string;
  at: SourcePosition;
}

/** A named set of values (`const X = { NAME: value }` in generated code). */
export interface EnumModel {
  name: string;
  typeName: string;
  doc: string;
  ref?: string;
  values: { name: string; value: bigint; doc: string; since?: string; until?: string }[];
  group: string;
  module: string;
  at: SourcePosition;
}

/** A named set of one-bit flags (masks in generated code). */
export interface FlagsetModel {
  name: string;
  typeName: string;
  doc: string;
  ref?: string;
  flags: { name: string; bit: number; doc: string; since?: string }[];
  group: string;
  module: string;
  at: SourcePosition;
}

/** One spec/layouts/**.yaml file after resolution. */
export interface LayoutFileModel {
  file: string;
  group: string;
  module: string;
  spec: string;
  ref: string;
  proposal: boolean;
  constants: ConstantModel[];
  strings?: StringConstantModel[];
  enums: EnumModel[];
  flagsets: FlagsetModel[];
  layout?: LayoutModel | UnionModel;
}

/** Everything under spec/, resolved. Requirement and mechanism entries are added by their loaders. */
export interface SpecModel {
  specDir: string;
  versions: Map<string, string[]>;
  files: LayoutFileModel[];
  layouts: Map<string, LayoutModel | UnionModel>;
  enums: Map<string, EnumModel>;
  flagsets: Map<string, FlagsetModel>;
  constants: Map<string, ConstantModel>;
}

/** A file an emitter wants written under generated/ (path relative to the repository root). */
export interface GeneratedFile {
  path: string;
  content: string;
}

/** An emitter: one job (TypeScript codecs, arbitraries, C headers, docs, ...). */
export interface Emitter {
  name: string;
  emit(spec: SpecModel): GeneratedFile[];
}

/** An emitter whose work is asynchronous (it formats through a library that only offers promises). */
export interface AsyncEmitter {
  name: string;
  emit(spec: SpecModel): Promise<GeneratedFile[]>;
}
