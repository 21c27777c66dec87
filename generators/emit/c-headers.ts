/**
 * Emits C11 headers (generated/c/xvc/<group>/<module>.h and the umbrella generated/c/xvc/xvc.h): packed
 * structs with fixed-width members, constants, enum and flag values, and `_Static_assert`s that pin
 * every size and offset to the spec.
 *
 * Bit fields are deliberately not C bit fields: their order and packing are implementation-defined,
 * so the header gives the containing integer plus SHIFT/MASK macros instead.
 */
import { appliedConstraints, integerRule, type RuleContext } from '../constraints/registry.ts';
import type {
  ConstantModel,
  Emitter,
  EnumModel,
  FieldModel,
  FlagsetModel,
  GeneratedFile,
  LayoutFileModel,
  LayoutModel,
  SpecModel,
  UnionModel,
} from '../model/spec-model.ts';

/** Identifiers C reserves; a field named like one gets a trailing underscore. */
const cKeywords = new Set(
  (
    'auto break case char const continue default do double else enum extern float for goto if inline int long ' +
    'register restrict return short signed sizeof static struct switch typedef union unsigned void volatile while ' +
    '_Alignas _Alignof _Atomic _Bool _Complex _Generic _Imaginary _Noreturn _Static_assert _Thread_local bool true false'
  ).split(' '),
);

/** The C member name of a spec field name. */
export function cIdentifier(name: string): string {
  return cKeywords.has(name) ? `${name}_` : name;
}

/** `struct xvc_<layout>`. */
export function structName(layoutName: string): string {
  return `xvc_${layoutName}`;
}

/** Upper-case macro prefix of a spec name: `XVC_VIRTIO_PCI_CAP`. */
export function macroPrefix(name: string): string {
  return `XVC_${name.toUpperCase()}`;
}

/** Path of the header of one spec file, relative to the repository root. */
export function headerPath(group: string, module: string): string {
  return `generated/c/xvc/${group}/${module}.h`;
}

function guardOf(group: string, module: string): string {
  return `XVC_${group}_${module}_H`.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** Renders text as the body of a C block comment (no comment terminators, one line). */
function commentText(text: string): string {
  return text.replace(/\*\//g, '* /').replace(/\/\*/g, '/ *').replace(/\s+/g, ' ').trim();
}

function unsignedLiteral(value: bigint): string {
  const hex = `0x${value.toString(16)}`;
  return value > 0xffffffffn ? `${hex}ULL` : `${hex}U`;
}

function uintType(bytes: number): string | undefined {
  return bytes === 1 ? 'uint8_t' : bytes === 2 ? 'uint16_t' : bytes === 4 ? 'uint32_t' : bytes === 8 ? 'uint64_t' : undefined;
}

function isIntegerLike(field: FieldModel): boolean {
  return field.type === 'uint' || field.type === 'bool' || field.type === 'enum' || field.type === 'flags';
}

/** Whether an integer-like field is a whole 8/16/32/64-bit member of its own. */
function isPlainInteger(field: FieldModel): boolean {
  return isIntegerLike(field) && field.bit === 0 && [8, 16, 32, 64].includes(field.bits);
}

/** One C member: either a single field or a container of bit fields. */
interface Member {
  name: string;
  offset: number;
  /** Byte length of the member (0 for a flexible array). */
  bytes: number;
  declaration: string;
  /** Bit fields held in this member (empty for a plain member). */
  bitFields: FieldModel[];
  field?: FieldModel;
}

/** The field's constraints in the words of C comments, each written by its kind. */
function constraintText(field: FieldModel, context: RuleContext): string {
  return appliedConstraints(integerRule(field, context))
    .flatMap((constraint) => (constraint.cText !== undefined ? [constraint.cText] : []))
    .join('; ');
}

function fieldComment(field: FieldModel, spec: string, context: RuleContext): string {
  const facts: string[] = [field.access];
  if (field.type === 'enum' && field.enumName) facts.push(`enum ${field.enumName}${field.open ? ' (open)' : ''}`);
  if (field.type === 'flags' && field.flagsetName) facts.push(`flags ${field.flagsetName}`);
  if (field.type === 'bool') facts.push('bool');
  if (field.since) facts.push(`since ${spec} ${field.since}`);
  if (field.until) facts.push(`until ${spec} ${field.until}`);
  const constraints = constraintText(field, context);
  if (constraints) facts.push(constraints);
  if (field.requirement) facts.push(field.requirement);
  return commentText(`${field.doc} [${facts.join('; ')}]`);
}

/** Groups a layout's fields into C members, merging bit fields that share bytes into one container. */
export function layoutMembers(layout: LayoutModel): Member[] {
  const sorted = [...layout.fields].sort((a, b) => a.offset * 8 + a.bit - (b.offset * 8 + b.bit));
  const members: Member[] = [];
  let open: { start: number; end: number; fields: FieldModel[] } | undefined;
  const flush = (): void => {
    if (!open) return;
    const length = open.end - open.start;
    const names = open.fields.map((field) => cIdentifier(field.specName));
    const name = names.length === 1 ? names[0]! : `${names[0]}__${names[names.length - 1]}`;
    const type = uintType(length);
    members.push({
      name,
      offset: open.start,
      bytes: length,
      declaration: type ? `${type} ${name}` : `uint8_t ${name}[${length}]`,
      bitFields: open.fields,
    });
    open = undefined;
  };
  for (const field of sorted) {
    if (isIntegerLike(field) && !isPlainInteger(field)) {
      const start = field.offset;
      const end = field.offset + Math.ceil((field.bit + field.bits) / 8);
      if (open && start < open.end) {
        open.end = Math.max(open.end, end);
        open.fields.push(field);
      } else {
        flush();
        open = { start, end, fields: [field] };
      }
      continue;
    }
    flush();
    const name = cIdentifier(field.specName);
    let declaration: string;
    let bytes: number;
    switch (field.type) {
      case 'bytes':
        bytes = field.bytes === 'rest' ? 0 : (field.bytes as number);
        declaration = field.bytes === 'rest' ? `uint8_t ${name}[]` : `uint8_t ${name}[${bytes}]`;
        break;
      case 'layout':
        bytes = field.bits / 8;
        declaration = `struct ${structName(field.layoutName!)} ${name}`;
        break;
      case 'array': {
        const array = field.array!;
        bytes = field.bits / 8;
        declaration =
          array.layoutName !== undefined
            ? `struct ${structName(array.layoutName)} ${name}[${array.count}]`
            : `${uintType(array.bits! / 8)} ${name}[${array.count}]`;
        break;
      }
      default:
        bytes = field.bits / 8;
        declaration = `${uintType(bytes)} ${name}`;
    }
    members.push({ name, offset: field.offset, bytes, declaration, bitFields: [], field });
  }
  flush();
  return members;
}

function emitLayout(layout: LayoutModel, spec: SpecModel): string[] {
  const out: string[] = [];
  const struct = structName(layout.name);
  const prefix = macroPrefix(layout.name);
  const members = layoutMembers(layout);
  const order = layout.endianness === 'big' ? 'big-endian' : 'little-endian';
  out.push('/*');
  out.push(` * ${commentText(layout.title)} (${layout.name}), ${commentText(layout.ref)}.`);
  out.push(` * ${commentText(layout.doc)}`);
  if (layout.proposal) out.push(' * PROPOSAL: a candidate mechanism from the discussion; no standard defines this layout.');
  out.push(` * Multi-byte members are ${order} in memory; convert with le16toh()/le32toh()/le64toh()${layout.endianness === 'big' ? ' (be*toh() here)' : ''} on other hosts.`);
  if (layout.variable) {
    out.push(
      ` * Variable size: at least ${layout.size} bytes${layout.sizeMultipleOf ? `, a multiple of ${layout.sizeMultipleOf}` : ''}; the last member is a flexible array.`,
    );
  }
  out.push(' */');
  out.push(`struct ${struct} {`);
  for (const member of members) {
    if (member.field) {
      out.push(`  /* 0x${member.offset.toString(16).padStart(2, '0')}: ${fieldComment(member.field, layout.spec, spec)} */`);
    } else {
      out.push(`  /* 0x${member.offset.toString(16).padStart(2, '0')}: bit fields, see ${prefix}_<FIELD>_SHIFT/_MASK: */`);
      for (const field of member.bitFields) {
        const first = (field.offset - member.offset) * 8 + field.bit;
        const range = field.bits === 1 ? `bit ${first}` : `bits ${first}..${first + field.bits - 1}`;
        out.push(`  /*   ${range} ${field.specName}: ${fieldComment(field, layout.spec, spec)} */`);
      }
    }
    out.push(`  ${member.declaration};`);
  }
  out.push('} __attribute__((packed));', '');

  out.push(`#define ${prefix}_${layout.variable ? 'MIN_SIZE' : 'SIZE'} ${layout.size}`);
  for (const member of members) {
    for (const field of member.bitFields) {
      const shift = (field.offset - member.offset) * 8 + field.bit;
      const mask = ((1n << BigInt(field.bits)) - 1n) << BigInt(shift);
      const name = `${prefix}_${field.specName.toUpperCase()}`;
      out.push(`/* ${field.specName}: (${member.name} & ${name}_MASK) >> ${name}_SHIFT */`);
      out.push(`#define ${name}_SHIFT ${shift}`);
      out.push(`#define ${name}_WIDTH ${field.bits}`);
      out.push(`#define ${name}_MASK ${member.bytes > 4 ? `${unsignedLiteral(mask).replace(/U+L*$/, '')}ULL` : unsignedLiteral(mask)}`);
    }
  }
  const tail = members.find((member) => member.field?.bytes === 'rest');
  const fixedSize = tail ? tail.offset : layout.size;
  out.push(`_Static_assert(sizeof(struct ${struct}) == ${fixedSize}, "${layout.name}: size");`);
  for (const member of members) {
    out.push(`_Static_assert(offsetof(struct ${struct}, ${member.name}) == ${member.offset}, "${layout.name}.${member.name}: offset");`);
    if (member.bitFields.length === 0 && member.bytes > 0) {
      out.push(`_Static_assert(sizeof(((struct ${struct} *)0)->${member.name}) == ${member.bytes}, "${layout.name}.${member.name}: width");`);
    }
    for (const field of member.bitFields) {
      const name = `${prefix}_${field.specName.toUpperCase()}`;
      out.push(
        `_Static_assert(offsetof(struct ${struct}, ${member.name}) * 8 + ${name}_SHIFT == ${field.offset * 8 + field.bit}, "${layout.name}.${field.specName}: bit position");`,
      );
    }
  }
  out.push('');
  void spec;
  return out;
}

function emitUnion(union: UnionModel): string[] {
  const prefix = macroPrefix(union.name);
  const out: string[] = [];
  out.push('/*');
  out.push(` * ${commentText(union.title)} (${union.name}), ${commentText(union.ref)}: a union of layouts.`);
  out.push(` * ${commentText(union.doc)}`);
  if (union.proposal) out.push(' * PROPOSAL: a candidate mechanism from the discussion; no standard defines this layout.');
  const mask = union.discriminator.mask !== undefined ? ` & ${prefix}_DISCRIMINATOR_MASK` : '';
  out.push(` * The ${union.discriminator.bits}-bit value at byte ${union.discriminator.offset}${mask} picks the layout:`);
  for (const entry of union.cases) out.push(` *   ${entry.values.map((value) => `0x${value.toString(16)}`).join(', ')}: struct ${structName(entry.layoutName)}`);
  out.push(` *   any other value: struct ${structName(union.defaultLayout)}`);
  out.push(' */');
  out.push(`#define ${prefix}_DISCRIMINATOR_OFFSET ${union.discriminator.offset}`);
  out.push(`#define ${prefix}_DISCRIMINATOR_BITS ${union.discriminator.bits}`);
  if (union.discriminator.mask !== undefined) out.push(`#define ${prefix}_DISCRIMINATOR_MASK ${unsignedLiteral(BigInt(union.discriminator.mask))}`);
  out.push('');
  return out;
}

function emitConstants(constants: ConstantModel[]): string[] {
  const out: string[] = [];
  for (const constant of constants) {
    out.push(`/* ${commentText(constant.doc)}${constant.ref ? ` (${commentText(constant.ref)})` : ''} */`);
    out.push(`#define ${macroPrefix(constant.name)} ${unsignedLiteral(constant.value)}`);
  }
  if (out.length > 0) out.push('');
  return out;
}

function emitEnum(entry: EnumModel): string[] {
  const out = [`/* enum ${entry.name}: ${commentText(entry.doc)}${entry.ref ? ` (${commentText(entry.ref)})` : ''} */`];
  for (const value of entry.values) {
    const since = value.since ? ` Since ${value.since}.` : '';
    out.push(`#define ${macroPrefix(entry.name)}_${value.name} ${unsignedLiteral(value.value)} /* ${commentText(value.doc + since)} */`);
  }
  out.push('');
  return out;
}

function emitFlagset(flagset: FlagsetModel): string[] {
  const out = [`/* flags ${flagset.name} (masks): ${commentText(flagset.doc)}${flagset.ref ? ` (${commentText(flagset.ref)})` : ''} */`];
  for (const flag of flagset.flags) {
    const since = flag.since ? ` Since ${flag.since}.` : '';
    out.push(`#define ${macroPrefix(flagset.name)}_${flag.name} ${unsignedLiteral(1n << BigInt(flag.bit))} /* bit ${flag.bit}: ${commentText(flag.doc + since)} */`);
  }
  out.push('');
  return out;
}

/** Layouts a layout's struct needs declared first (nested and array element layouts). */
function dependencies(layout: LayoutModel): string[] {
  const names = new Set<string>();
  for (const field of layout.fields) {
    if (field.layoutName !== undefined) names.add(field.layoutName);
    if (field.array?.layoutName !== undefined) names.add(field.array.layoutName);
  }
  return [...names].sort();
}

function emitFile(file: LayoutFileModel, spec: SpecModel): GeneratedFile {
  const guard = guardOf(file.group, file.module);
  const out: string[] = [];
  out.push(`/* Generated by xvc (npm run generate) from ${file.file}. Do not edit: change the spec and regenerate. */`);
  out.push(`#ifndef ${guard}`);
  out.push(`#define ${guard}`, '');
  out.push('#include <stddef.h>');
  out.push('#include <stdint.h>');
  const layout = file.layout;
  const includes = new Set<string>();
  const needed = layout?.kind === 'layout' ? dependencies(layout) : layout ? [...layout.cases.map((entry) => entry.layoutName), layout.defaultLayout] : [];
  for (const name of needed) {
    const target = spec.layouts.get(name);
    if (!target || target === layout) continue;
    includes.add(target.group === file.group ? `${target.module}.h` : `../${target.group}/${target.module}.h`);
  }
  for (const include of [...includes].sort()) out.push(`#include "${include}"`);
  out.push('');
  if (file.proposal) out.push('/* PROPOSAL: everything in this header describes a candidate mechanism, not a standard. */', '');
  out.push(...emitConstants(file.constants));
  for (const entry of file.enums) out.push(...emitEnum(entry));
  for (const flagset of file.flagsets) out.push(...emitFlagset(flagset));
  if (layout?.kind === 'layout') out.push(...emitLayout(layout, spec));
  else if (layout?.kind === 'union') out.push(...emitUnion(layout));
  out.push(`#endif /* ${guard} */`);
  return { path: headerPath(file.group, file.module), content: `${out.join('\n')}\n` };
}

/** Emits one header per spec/layouts file plus the umbrella generated/c/xvc/xvc.h. */
export const cHeadersEmitter: Emitter = {
  name: 'c-headers',
  emit(spec: SpecModel): GeneratedFile[] {
    const files = [...spec.files].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    const headers = files.map((file) => emitFile(file, spec));
    const umbrella: string[] = [
      '/* Generated by xvc (npm run generate) from spec/layouts. Do not edit: change the spec and regenerate. */',
      '/* Every xvc layout header. Structs are packed and little-endian in memory unless their comment says otherwise. */',
      '#ifndef XVC_XVC_H',
      '#define XVC_XVC_H',
      '',
      ...headers.map((header) => `#include "${header.path.slice('generated/c/xvc/'.length)}"`),
      '',
      '#endif /* XVC_XVC_H */',
    ];
    headers.push({ path: 'generated/c/xvc/xvc.h', content: `${umbrella.join('\n')}\n` });
    return headers;
  },
};
