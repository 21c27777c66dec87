import { describe, expect, it } from 'vitest';
import { encodeElf64Header, ELF64_HEADER_SIZE, ELF_CLASS_64, ELF_DATA_LSB, ELF_PT_INTERP } from '../../generated/ts/linux/elf64-header.ts';
import { encodeElf64ProgramHeader, ELF64_PROGRAM_HEADER_SIZE } from '../../generated/ts/linux/elf64-program-header.ts';
import { encodeElf64SectionHeader, ELF64_SECTION_HEADER_SIZE } from '../../generated/ts/linux/elf64-section-header.ts';
import { isElfProblem, isStaticElfExecutable, memorySource, readModinfo } from './elf-file.ts';

const MAGIC = new Uint8Array([0x7f, 0x45, 0x4c, 0x46]);
const encoder = new TextEncoder();

function header(fields: { shoff?: bigint; shnum?: number; shstrndx?: number; phoff?: bigint; phnum?: number }): Uint8Array {
  return encodeElf64Header({
    magic: MAGIC,
    identClass: ELF_CLASS_64,
    identData: ELF_DATA_LSB,
    identRest: new Uint8Array(10),
    type: 1,
    machine: 62,
    version: 1,
    entry: 0n,
    phoff: fields.phoff ?? 0n,
    shoff: fields.shoff ?? 0n,
    flags: 0,
    ehsize: ELF64_HEADER_SIZE,
    phentsize: ELF64_PROGRAM_HEADER_SIZE,
    phnum: fields.phnum ?? 0,
    shentsize: ELF64_SECTION_HEADER_SIZE,
    shnum: fields.shnum ?? 0,
    shstrndx: fields.shstrndx ?? 0,
  });
}

function section(name: number, offset: number, size: number): Uint8Array {
  return encodeElf64SectionHeader({ name, type: 1, flags: 0n, addr: 0n, offset: BigInt(offset), size: BigInt(size), link: 0, info: 0, addralign: 1n, entsize: 0n });
}

/** A minimal relocatable object with a section-name table and a `.modinfo` section (test data). */
function moduleBytes(modinfo: string): Uint8Array {
  const names = encoder.encode('\0.shstrtab\0.modinfo\0');
  const info = encoder.encode(modinfo);
  const namesAt = ELF64_HEADER_SIZE;
  const infoAt = namesAt + names.length;
  const sectionsAt = infoAt + info.length;
  const bytes = new Uint8Array(sectionsAt + 3 * ELF64_SECTION_HEADER_SIZE);
  bytes.set(header({ shoff: BigInt(sectionsAt), shnum: 3, shstrndx: 1 }));
  bytes.set(names, namesAt);
  bytes.set(info, infoAt);
  bytes.set(section(0, 0, 0), sectionsAt);
  bytes.set(section(1, namesAt, names.length), sectionsAt + ELF64_SECTION_HEADER_SIZE);
  bytes.set(section(11, infoAt, info.length), sectionsAt + 2 * ELF64_SECTION_HEADER_SIZE);
  return bytes;
}

describe('readModinfo', () => {
  it('returns the key=value strings of .modinfo in order, repeated keys kept', async () => {
    const info = await readModinfo(memorySource(moduleBytes('alias=virtio:d00000001v*\0depends=virtio,virtio_ring\0alias=other\0name=virtio_net\0')));
    expect(info).toEqual([
      ['alias', 'virtio:d00000001v*'],
      ['depends', 'virtio,virtio_ring'],
      ['alias', 'other'],
      ['name', 'virtio_net'],
    ]);
  });

  it('reports what is wrong as data: no ELF, a cut table, no .modinfo', async () => {
    expect(await readModinfo(memorySource(encoder.encode('#!/bin/sh\n')))).toMatchObject({ problem: expect.stringContaining('shorter') });
    const junk = new Uint8Array(ELF64_HEADER_SIZE);
    expect(await readModinfo(memorySource(junk))).toMatchObject({ problem: expect.stringContaining('bad magic') });
    const cut = moduleBytes('name=x\0').subarray(0, ELF64_HEADER_SIZE + 40);
    expect(isElfProblem(await readModinfo(memorySource(cut)))).toBe(true);
    const plain = moduleBytes('name=x\0');
    plain[ELF64_HEADER_SIZE + '\0.shstrtab\0'.length] = 0x2d; // ".modinfo" becomes "-modinfo"
    expect(await readModinfo(memorySource(plain))).toMatchObject({ problem: expect.stringContaining('not a kernel module') });
  });
});

describe('isStaticElfExecutable', () => {
  const executable = (types: number[]): Uint8Array => {
    const bytes = new Uint8Array(ELF64_HEADER_SIZE + types.length * ELF64_PROGRAM_HEADER_SIZE);
    bytes.set(header({ phoff: BigInt(ELF64_HEADER_SIZE), phnum: types.length }));
    types.forEach((type, i) => bytes.set(encodeElf64ProgramHeader({ type, flags: 5, offset: 0n, vaddr: 0n, paddr: 0n, filesz: 0n, memsz: 0n, align: 0n }), ELF64_HEADER_SIZE + i * ELF64_PROGRAM_HEADER_SIZE));
    return bytes;
  };

  it('is true without PT_INTERP and false with it', async () => {
    expect(await isStaticElfExecutable(memorySource(executable([1, 1])))).toBe(true);
    expect(await isStaticElfExecutable(memorySource(executable([6, ELF_PT_INTERP, 1])))).toBe(false);
    expect(await isStaticElfExecutable(memorySource(executable([])))).toBe(false);
  });
});
