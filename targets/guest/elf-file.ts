/**
 * Just enough ELF64 reading for the guest target: the `.modinfo` strings of a kernel module (its
 * name, dependencies and device aliases) and whether an executable is static (no PT_INTERP), so
 * it can run as the only userland of an initramfs. Reads go through a bounded random-access
 * reader, so a module on disk is never read whole; every problem is returned as data.
 */
import {
  decodeElf64Header,
  ELF_CLASS_64,
  ELF_DATA_LSB,
  ELF_MAGIC_LE32,
  ELF_MODINFO_SECTION,
  ELF_PT_INTERP,
  ELF_SHT_NOBITS,
  ELF64_HEADER_SIZE,
  type Elf64Header,
} from '../../generated/ts/linux/elf64-header.ts';
import { decodeElf64ProgramHeader, ELF64_PROGRAM_HEADER_SIZE } from '../../generated/ts/linux/elf64-program-header.ts';
import { decodeElf64SectionHeader, ELF64_SECTION_HEADER_SIZE, type Elf64SectionHeader } from '../../generated/ts/linux/elf64-section-header.ts';

/** Random access to the bytes of a file or buffer. `read` returns fewer bytes at the end. */
export interface ByteSource {
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** A byte source over bytes already in memory. */
export function memorySource(bytes: Uint8Array): ByteSource {
  return { size: bytes.length, read: async (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)) };
}

/** Why a file could not be read as the ELF object it should be. */
export interface ElfProblem {
  readonly problem: string;
}

/** Most sections and program headers read; kernel modules have a few dozen sections. */
const MAX_TABLE_ENTRIES = 4096;
/** Largest `.modinfo` or section-name table read (real modules: a few KiB). */
const MAX_STRING_TABLE = 1 << 20;
const decoder = new TextDecoder('utf-8', { fatal: false });

function asNumber(value: bigint): number | undefined {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : undefined;
}

async function readHeader(source: ByteSource): Promise<Elf64Header | ElfProblem> {
  const bytes = await source.read(0, ELF64_HEADER_SIZE);
  if (bytes.length < ELF64_HEADER_SIZE) return { problem: `${bytes.length} bytes, shorter than an ELF64 header` };
  const { value } = decodeElf64Header(bytes);
  const magic = new DataView(value.magic.buffer, value.magic.byteOffset, value.magic.byteLength).getUint32(0, true);
  if (magic !== ELF_MAGIC_LE32) return { problem: 'not an ELF file (bad magic)' };
  if (value.identClass !== ELF_CLASS_64 || value.identData !== ELF_DATA_LSB) return { problem: 'not a little-endian 64-bit ELF file' };
  return value;
}

async function readTable<T>(source: ByteSource, offset: bigint, count: number, entrySize: number, decode: (bytes: Uint8Array, at: number) => T): Promise<T[] | ElfProblem> {
  const at = asNumber(offset);
  if (at === undefined || count > MAX_TABLE_ENTRIES) return { problem: `table at ${offset} with ${count} entries is out of range` };
  const bytes = await source.read(at, count * entrySize);
  if (bytes.length < count * entrySize) return { problem: `table at ${at} runs past the end of the file` };
  return Array.from({ length: count }, (_, index) => decode(bytes, index * entrySize));
}

async function sectionBytes(source: ByteSource, section: Elf64SectionHeader): Promise<Uint8Array | ElfProblem> {
  const at = asNumber(section.offset);
  const size = asNumber(section.size);
  if (at === undefined || size === undefined || size > MAX_STRING_TABLE) return { problem: `section of ${section.size} bytes at ${section.offset} is out of range` };
  if (section.type === ELF_SHT_NOBITS) return new Uint8Array(0);
  const bytes = await source.read(at, size);
  if (bytes.length < size) return { problem: `section at ${at} runs past the end of the file` };
  return bytes;
}

function isProblem(value: unknown): value is ElfProblem {
  return typeof value === 'object' && value !== null && 'problem' in value;
}

/**
 * The `key=value` strings of the module's `.modinfo` section, in order (a key such as `alias` may
 * repeat). A problem when the file is no ELF64 object or has no such section.
 */
export async function readModinfo(source: ByteSource): Promise<Array<[string, string]> | ElfProblem> {
  const header = await readHeader(source);
  if (isProblem(header)) return header;
  const sections = await readTable(source, header.shoff, header.shnum, ELF64_SECTION_HEADER_SIZE, (bytes, at) => decodeElf64SectionHeader(bytes, at).value);
  if (isProblem(sections)) return sections;
  const names = sections[header.shstrndx];
  if (!names) return { problem: `section-name table index ${header.shstrndx} is out of range` };
  const nameBytes = await sectionBytes(source, names);
  if (isProblem(nameBytes)) return nameBytes;
  const sectionName = (section: Elf64SectionHeader): string => {
    const end = nameBytes.indexOf(0, section.name);
    return section.name < nameBytes.length ? decoder.decode(nameBytes.subarray(section.name, end < 0 ? nameBytes.length : end)) : '';
  };
  const modinfo = sections.find((section) => sectionName(section) === ELF_MODINFO_SECTION);
  if (!modinfo) return { problem: `no ${ELF_MODINFO_SECTION} section: not a kernel module` };
  const bytes = await sectionBytes(source, modinfo);
  if (isProblem(bytes)) return bytes;
  const entries: Array<[string, string]> = [];
  for (const text of decoder.decode(bytes).split('\0')) {
    const equals = text.indexOf('=');
    if (equals > 0) entries.push([text.slice(0, equals), text.slice(equals + 1)]);
  }
  return entries;
}

/** True when `source` is an ELF64 executable without a PT_INTERP header (needs no dynamic loader). */
export async function isStaticElfExecutable(source: ByteSource): Promise<boolean> {
  const header = await readHeader(source);
  if (isProblem(header) || header.phnum === 0) return false;
  const programs = await readTable(source, header.phoff, header.phnum, ELF64_PROGRAM_HEADER_SIZE, (bytes, at) => decodeElf64ProgramHeader(bytes, at).value);
  return !isProblem(programs) && programs.every((program) => program.type !== ELF_PT_INTERP);
}

export { isProblem as isElfProblem };
