import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeInitramfsNewcHeader, INITRAMFS_NEWC_HEADER_SIZE } from '../../generated/ts/linux/initramfs-newc-header.ts';
import { propertyParameters } from '../../test-support/fast-check-seed.ts';
import { commandGate } from '../../test-support/machine-tools.ts';
import { NewcArchiveError, writeNewcArchive, type NewcEntry } from './newc-archive.ts';

interface ReadEntry {
  name: string;
  mode: number;
  nlink: number;
  rmaj: number;
  rmin: number;
  data: Uint8Array;
}

const text = new TextDecoder();
const hex = (bytes: Uint8Array): number => Number.parseInt(text.decode(bytes), 16);
const align4 = (n: number): number => (n + 3) & ~3;

/** An independent reader: walks the archive by the format's rules, with the generated header decoder. */
function readArchive(archive: Uint8Array): ReadEntry[] {
  const entries: ReadEntry[] = [];
  let at = 0;
  for (;;) {
    const { value, issues } = decodeInitramfsNewcHeader(archive, at);
    expect(issues).toEqual([]);
    expect(text.decode(value.magic)).toBe('070701');
    const nameSize = hex(value.namesize);
    const name = text.decode(archive.subarray(at + INITRAMFS_NEWC_HEADER_SIZE, at + INITRAMFS_NEWC_HEADER_SIZE + nameSize - 1));
    expect(archive[at + INITRAMFS_NEWC_HEADER_SIZE + nameSize - 1]).toBe(0);
    const dataAt = align4(at + INITRAMFS_NEWC_HEADER_SIZE + nameSize);
    const size = hex(value.filesize);
    if (name === 'TRAILER!!!') {
      expect(dataAt + size).toBe(archive.length);
      return entries;
    }
    entries.push({ name, mode: hex(value.mode), nlink: hex(value.nlink), rmaj: hex(value.rmaj), rmin: hex(value.rmin), data: archive.slice(dataAt, dataAt + size) });
    at = align4(dataAt + size);
  }
}

describe('writeNewcArchive', () => {
  it('writes directories, files, symlinks and device nodes with their types, modes and data', () => {
    const archive = writeNewcArchive([
      { kind: 'directory', path: 'dev' },
      { kind: 'char-device', path: 'dev/console', major: 5, minor: 1 },
      { kind: 'file', path: 'init', data: new TextEncoder().encode('#!/bin/sh\n'), mode: 0o755 },
      { kind: 'symlink', path: 'sh', target: 'bin/busybox' },
    ]);
    expect(archive.length % 4).toBe(0);
    const entries = readArchive(archive);
    expect(entries.map((entry) => entry.name)).toEqual(['dev', 'dev/console', 'init', 'sh']);
    expect(entries[0]!.mode).toBe(0o040755);
    expect(entries[0]!.nlink).toBe(2);
    expect(entries[1]!.mode).toBe(0o020600);
    expect([entries[1]!.rmaj, entries[1]!.rmin]).toEqual([5, 1]);
    expect(entries[2]!.mode).toBe(0o100755);
    expect(text.decode(entries[2]!.data)).toBe('#!/bin/sh\n');
    expect(entries[3]!.mode).toBe(0o120777);
    expect(text.decode(entries[3]!.data)).toBe('bin/busybox');
  });

  it('refuses paths the kernel would not unpack where asked', () => {
    for (const path of ['/init', '', 'a/../b', 'a//b', './x', 'nul\0']) {
      expect(() => writeNewcArchive([{ kind: 'directory', path }])).toThrow(NewcArchiveError);
    }
  });

  it('round-trips any set of files, whatever their sizes and names', () => {
    const name = fc.stringMatching(/^[a-z0-9_.-]{1,12}$/).filter((n) => n !== '.' && n !== '..');
    fc.assert(
      fc.property(fc.uniqueArray(fc.record({ name, data: fc.uint8Array({ maxLength: 40 }) }), { selector: (file) => file.name, maxLength: 8 }), (files) => {
        const entries: NewcEntry[] = files.map((file) => ({ kind: 'file', path: file.name, data: file.data }));
        const read = readArchive(writeNewcArchive(entries));
        expect(read.map((entry) => entry.name)).toEqual(files.map((file) => file.name));
        read.forEach((entry, index) => expect([...entry.data]).toEqual([...files[index]!.data]));
      }),
      propertyParameters(),
    );
  });

  const cpio = commandGate('cpio', 'install cpio');
  it.skipIf(!cpio.runs)(cpio.title('is read by the system cpio'), () => {
    cpio.require();
    const archive = writeNewcArchive([
      { kind: 'directory', path: 'bin' },
      { kind: 'file', path: 'bin/tool', data: new Uint8Array([1, 2, 3]) },
    ]);
    const listing = execFileSync('cpio', ['-it', '--quiet'], { input: archive, encoding: 'utf8', timeout: 10_000 });
    expect(listing.trim().split('\n')).toEqual(['bin', 'bin/tool']);
  });
});
