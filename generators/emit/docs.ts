/**
 * Emits Markdown register documentation: one page per spec/layouts file
 * (generated/docs/<group>/<module>.md) and an index (generated/docs/README.md).
 */
import { appliedConstraints, integerRule, type RuleContext } from '../constraints/registry.ts';
import type {
  EnumModel,
  Emitter,
  FieldModel,
  FlagsetModel,
  GeneratedFile,
  LayoutFileModel,
  LayoutModel,
  SpecModel,
  UnionModel,
} from '../model/spec-model.ts';
import { layoutMembers } from './c-headers.ts';

/** Path of the page of one spec file, relative to the repository root. */
export function docPath(group: string, module: string): string {
  return `generated/docs/${group}/${module}.md`;
}

/** Escapes text for a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
}

function hex(value: bigint | number, pad = 0): string {
  return `0x${value.toString(16).padStart(pad, '0')}`;
}

/** The field's constraints in the words of the reference, each written by its kind, then its requirement. */
function constraintText(field: FieldModel, context: RuleContext): string {
  const parts = appliedConstraints(integerRule(field, context)).flatMap((constraint) => (constraint.docText !== undefined ? [constraint.docText] : []));
  if (field.requirement) parts.push(`(${field.requirement})`);
  return parts.join('; ') || '—';
}

function link(spec: SpecModel, from: LayoutFileModel, layoutName: string): string {
  const target = spec.layouts.get(layoutName);
  if (!target) return `\`${layoutName}\``;
  const path = target.group === from.group ? `${target.module}.md` : `../${target.group}/${target.module}.md`;
  return `[\`${layoutName}\`](${path})`;
}

function typeText(field: FieldModel, spec: SpecModel, file: LayoutFileModel): string {
  switch (field.type) {
    case 'enum':
      return `enum \`${field.enumName}\`${field.open ? ' (open)' : ''}`;
    case 'flags':
      return `flags \`${field.flagsetName}\``;
    case 'layout':
      return link(spec, file, field.layoutName!);
    case 'array':
      return field.array!.layoutName !== undefined
        ? `${link(spec, file, field.array!.layoutName)}[${field.array!.count}]`
        : `u${field.array!.bits}[${field.array!.count}]`;
    case 'bytes':
      return field.bytes === 'rest' ? 'bytes (to the end)' : `bytes[${field.bytes}]`;
    case 'bool':
      return 'bool';
    default:
      return field.bits > 32 ? `u${field.bits} (bigint)` : `u${field.bits}`;
  }
}

function bitsText(field: FieldModel): string {
  const integer = field.type === 'uint' || field.type === 'bool' || field.type === 'enum' || field.type === 'flags';
  if (!integer) return '—';
  const high = field.bit + field.bits - 1;
  return high === field.bit ? `${field.bit}` : `${high}:${field.bit}`;
}

function widthText(field: FieldModel): string {
  if (field.bytes === 'rest') return 'rest';
  if (field.type === 'bytes' || field.type === 'layout' || field.type === 'array') return `${field.bits / 8} B`;
  return field.bits === 1 ? '1 bit' : `${field.bits} bits`;
}

/** Characters a field of `bits` bits has for its label in {@link bitDiagram}. */
function diagramRoom(bits: number): number {
  return bits * 3 - 1;
}

/**
 * An ASCII diagram of a register holding bit fields, most significant bit on the left, with
 * the bit number of every field boundary above it. `width` bits, fields positioned by `shift`.
 */
export function bitDiagram(width: number, fields: { name: string; shift: number; bits: number }[]): string[] {
  // Three characters per bit (see diagramRoom): room for a two-digit bit number above a one-bit field.
  const ownerOf = (bit: number) => fields.find((entry) => bit >= entry.shift && bit < entry.shift + entry.bits);
  const spans: { name: string; high: number; low: number }[] = [];
  for (let bit = width - 1; bit >= 0; ) {
    const owner = ownerOf(bit);
    let low = owner ? owner.shift : bit;
    if (!owner) while (low > 0 && !ownerOf(low - 1)) low--;
    spans.push({ name: owner?.name ?? '', high: bit, low });
    bit = low - 1;
  }
  let numbers = '';
  let border = '';
  let labels = '';
  for (const span of spans) {
    const room = diagramRoom(span.high - span.low + 1);
    const high = String(span.high);
    const low = String(span.low);
    const numberCell = span.high === span.low ? high.padEnd(room) : high + ' '.repeat(room - high.length - low.length) + low;
    numbers += ` ${numberCell}`;
    border += `+${'-'.repeat(room)}`;
    const name = span.name.length > room ? span.name.slice(0, room) : span.name;
    const left = Math.floor((room - name.length) / 2);
    labels += `|${' '.repeat(left)}${name}${' '.repeat(room - name.length - left)}`;
  }
  return [numbers.trimEnd(), `${border}+`, `${labels}|`, `${border}+`];
}

function layoutSection(layout: LayoutModel, file: LayoutFileModel, spec: SpecModel): string[] {
  const out: string[] = [];
  const size = layout.variable
    ? `at least ${layout.size} bytes${layout.sizeMultipleOf ? `, a multiple of ${layout.sizeMultipleOf}` : ''} (variable)`
    : `${layout.size} bytes`;
  out.push(`- Size: ${size}`);
  out.push(`- Byte order: ${layout.endianness}-endian`);
  out.push('');
  out.push('## Fields', '');
  out.push('| Offset | Bits | Width | Field | Type | Access | Since | Constraints | Description |');
  out.push('|---|---|---|---|---|---|---|---|---|');
  const sorted = [...layout.fields].sort((a, b) => a.offset * 8 + a.bit - (b.offset * 8 + b.bit));
  for (const field of sorted) {
    const since = field.since ? `${field.since}${field.until ? `–${field.until}` : ''}` : field.until ? `until ${field.until}` : '—';
    out.push(
      `| ${hex(field.offset, 2)} | ${bitsText(field)} | ${widthText(field)} | \`${field.specName}\` | ${typeText(field, spec, file)} | ${field.access} | ${since} | ${cell(constraintText(field, spec))} | ${cell(field.doc)} |`,
    );
  }
  out.push('');
  const containers = layoutMembers(layout).filter((member) => member.bitFields.length > 0);
  if (containers.length > 0) {
    out.push('## Bit layout', '');
    for (const member of containers) {
      const width = member.bytes * 8;
      out.push(`Bytes ${hex(member.offset, 2)}–${hex(member.offset + member.bytes - 1, 2)} as one ${width}-bit little-endian value:`, '');
      const placed = member.bitFields.map((field) => ({ name: field.specName, shift: (field.offset - member.offset) * 8 + field.bit, bits: field.bits }));
      out.push('```text');
      out.push(...bitDiagram(width, placed));
      out.push('```', '');
      const cut = placed.filter((field) => field.name.length > diagramRoom(field.bits));
      if (cut.length > 0) {
        out.push(`Labels cut short: ${cut.map((field) => `\`${field.name.slice(0, diagramRoom(field.bits))}\` ${field.name}`).join(', ')}.`, '');
      }
    }
  }
  return out;
}

function unionSection(union: UnionModel, file: LayoutFileModel, spec: SpecModel): string[] {
  const out: string[] = [];
  const mask = union.discriminator.mask !== undefined ? ` masked with ${hex(union.discriminator.mask)}` : '';
  const fieldName = union.discriminator.field ? ` (\`${union.discriminator.field}\`)` : '';
  out.push(`The ${union.discriminator.bits}-bit value at byte ${hex(union.discriminator.offset, 2)}${fieldName}${mask} selects the layout.`, '');
  out.push('| Discriminator | Layout |');
  out.push('|---|---|');
  for (const entry of union.cases) out.push(`| ${entry.values.map((value) => hex(value)).join(', ')} | ${link(spec, file, entry.layoutName)} |`);
  out.push(`| any other | ${link(spec, file, union.defaultLayout)} |`, '');
  return out;
}

function enumSection(entry: EnumModel): string[] {
  const out = [`### Enum \`${entry.name}\``, '', cell(entry.doc) + (entry.ref ? ` (${cell(entry.ref)})` : ''), ''];
  out.push('| Name | Value | Since | Description |');
  out.push('|---|---|---|---|');
  for (const value of entry.values) {
    const since = value.since ? `${value.since}${value.until ? `–${value.until}` : ''}` : '—';
    out.push(`| \`${value.name}\` | ${hex(value.value)} | ${since} | ${cell(value.doc)} |`);
  }
  out.push('');
  return out;
}

function flagsetSection(flagset: FlagsetModel): string[] {
  const out = [`### Flags \`${flagset.name}\``, '', cell(flagset.doc) + (flagset.ref ? ` (${cell(flagset.ref)})` : ''), ''];
  out.push('| Name | Bit | Mask | Since | Description |');
  out.push('|---|---|---|---|---|');
  for (const flag of [...flagset.flags].sort((a, b) => a.bit - b.bit)) {
    out.push(`| \`${flag.name}\` | ${flag.bit} | ${hex(1n << BigInt(flag.bit))} | ${flag.since ?? '—'} | ${cell(flag.doc)} |`);
  }
  out.push('');
  return out;
}

function proposalBanner(): string {
  return '> **Proposal.** A concrete layout for a candidate mechanism from the discussion. No standard defines it.';
}

function emitPage(file: LayoutFileModel, spec: SpecModel): GeneratedFile {
  const layout = file.layout;
  const out: string[] = [];
  out.push(`<!-- Generated by xvc (npm run generate) from ${file.file}. Do not edit: change the spec and regenerate. -->`, '');
  out.push(layout ? `# ${layout.title} (\`${layout.name}\`)` : `# ${file.group}/${file.module}`, '');
  if (file.proposal || layout?.proposal) out.push(proposalBanner(), '');
  if (layout) out.push(cell(layout.doc), '');
  out.push(`- Reference: ${cell(layout?.ref ?? file.ref)} (${file.spec})`);
  out.push(`- Source: \`${file.file}\``);
  if (layout?.kind === 'layout') out.push(...layoutSection(layout, file, spec));
  else {
    out.push('');
    if (layout?.kind === 'union') out.push('## Cases', '', ...unionSection(layout, file, spec));
  }
  if (file.enums.length > 0 || file.flagsets.length > 0) {
    out.push('## Values', '');
    for (const entry of file.enums) out.push(...enumSection(entry));
    for (const flagset of file.flagsets) out.push(...flagsetSection(flagset));
  }
  if (file.constants.length > 0) {
    out.push('## Constants', '');
    out.push('| Name | Value | Since | Description |');
    out.push('|---|---|---|---|');
    for (const constant of file.constants) {
      out.push(`| \`${constant.name}\` | ${hex(constant.value)} (${constant.value}) | ${constant.since ?? '—'} | ${cell(constant.doc)}${constant.ref ? ` (${cell(constant.ref)})` : ''} |`);
    }
    out.push('');
  }
  return { path: docPath(file.group, file.module), content: `${out.join('\n').trimEnd()}\n` };
}

function emitIndex(files: LayoutFileModel[]): GeneratedFile {
  const out: string[] = [];
  out.push('<!-- Generated by xvc (npm run generate) from spec/layouts. Do not edit: change the spec and regenerate. -->', '');
  out.push('# xvc register layouts', '');
  out.push('One page per file of `spec/layouts/`. Offsets are bytes from the start of the layout; bit numbers count from the');
  out.push('least significant bit of the byte at the offset, so a field may span bytes. Multi-byte fields are little-endian');
  out.push('unless the page says otherwise.', '');
  const groups = [...new Set(files.map((file) => file.group))].sort();
  for (const group of groups) {
    out.push(`## ${group}`, '');
    out.push('| Page | Title | Kind | Size | Reference |');
    out.push('|---|---|---|---|---|');
    for (const file of files.filter((entry) => entry.group === group)) {
      const layout = file.layout;
      const title = layout ? cell(layout.title) + (layout.proposal || file.proposal ? ' **(proposal)**' : '') : 'constants and values';
      const kind = layout ? (layout.kind === 'union' ? 'union' : layout.variable ? 'variable layout' : 'layout') : 'values';
      const size = layout?.kind === 'layout' ? (layout.variable ? `≥ ${layout.size}` : String(layout.size)) : '—';
      out.push(`| [${layout ? `\`${layout.name}\`` : file.module}](${file.group}/${file.module}.md) | ${title} | ${kind} | ${size} | ${cell(layout?.ref ?? file.ref)} |`);
    }
    out.push('');
  }
  return { path: 'generated/docs/README.md', content: `${out.join('\n').trimEnd()}\n` };
}

/** Emits generated/docs: a Markdown page per spec/layouts file and an index. */
export const docsEmitter: Emitter = {
  name: 'docs',
  emit(spec: SpecModel): GeneratedFile[] {
    const files = [...spec.files].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    return [...files.map((file) => emitPage(file, spec)), emitIndex(files)];
  },
};
