import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkDumpInput, createDumpTarget, streamDumpFunctions } from '../dump.ts';
import { streamDumpFiles } from './dump-loader.ts';
import { parseLspciBytes } from './lspci-text-parser.ts';
import { parseRawConfig } from './raw-config-parser.ts';
import { batchAddress, formatLspciHex } from '../../test-support/pciutils/lspci-text-writer.ts';

const qemuFixtures = new URL('../../fixtures/dumps/qemu-7.2/', import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'xvc-dump-loader-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let counter = 0;
const fresh = (): string => {
  const dir = join(scratch, `case-${counter++}`);
  mkdirSync(dir);
  return dir;
};

describe('dump loader: only regular files, bounded', () => {
  it('refuses a FIFO at once, located, instead of blocking on it', async () => {
    const fifo = join(fresh(), 'dump.lspci');
    execFileSync('mkfifo', [fifo]);
    const target = await createDumpTarget(fifo);
    expect(target.problems.map((problem) => [problem.code, problem.file, problem.message])).toEqual([['XVC3101', fifo, 'is a fifo, not a regular file; xvc reads only regular files']]);
    expect(target.inputError?.diagnostic).toBe('targetInput');
  });

  it('refuses /dev/zero instead of reading it to the end of memory', async () => {
    const target = await createDumpTarget('/dev/zero');
    expect(target.problems[0]).toMatchObject({ code: 'XVC3101', message: expect.stringContaining('character device') });
    expect(await target.functions()).toEqual([]);
  });

  it('in a directory, reports a FIFO and reads the other files', async () => {
    const dir = fresh();
    execFileSync('mkfifo', [join(dir, 'a-pipe.lspci')]);
    copyFileSync(join(qemuFixtures, 'net-modern.cfg256.bin'), join(dir, 'b.bin'));
    const target = await createDumpTarget(dir);
    expect((await target.functions()).map((fn) => fn.id)).toEqual(['b.bin']);
    expect(target.problems.map((problem) => [problem.code, problem.file])).toEqual([['XVC3101', join(dir, 'a-pipe.lspci')]]);
  });
});

describe('dump loader: a dump that does not parse is bad input', () => {
  it('a hex line cut short: the readable devices are served, and the dump is bad input located at the cut', async () => {
    const file = join(fresh(), 'cut.lspci');
    writeFileSync(file, '00:03.0 ok\n00: f4 1a 41 10 07 00 10 00 01 00 00 02 00 00 00 00\n\n00:04.0 cut\n00: f4 1a 4\n');
    const target = await createDumpTarget(file);
    expect((await target.functions()).map((fn) => fn.id)).toEqual(['0000:00:03.0']);
    expect(target.inputError).toMatchObject({ diagnostic: 'targetInput', details: { file, line: 5 } });
    expect(target.inputError!.problems.map((problem) => problem.code)).toEqual(['XVC3103']);
    expect(checkDumpInput(`dump:${file}`)?.message).toContain(`${file}:5:`);
  });

  it('5,000 random bytes are bad input, whether or not they hold a NUL', async () => {
    const dir = fresh();
    const withNul = join(dir, 'random.bin');
    const withoutNul = join(dir, 'random-no-nul.bin');
    const bytes = new Uint8Array(5000).map((_, index) => (index * 131 + 7) % 256);
    writeFileSync(withNul, bytes);
    writeFileSync(withoutNul, bytes.map((byte) => byte | 0x80));
    for (const file of [withNul, withoutNul]) expect(checkDumpInput(file), file).toBeDefined();
  });

  it('a good dump, or one with warnings only (truncated), is not bad input', async () => {
    expect(checkDumpInput(join(qemuFixtures, 'net-modern.cfg256.lspci'))).toBeUndefined();
    const file = join(fresh(), 'short.lspci');
    writeFileSync(file, '00:03.0 short\n00: f4 1a 41 10 07 00 10 00 01 00 00 02 00 00 00 00\n');
    expect((await createDumpTarget(file)).inputError).toBeUndefined();
  });
});

describe('streaming a directory', () => {
  it('yields one file at a time, in name order, and every problem', () => {
    const dir = fresh();
    for (const name of ['c.bin', 'a.bin']) copyFileSync(join(qemuFixtures, 'net-modern.cfg256.bin'), join(dir, name));
    writeFileSync(join(dir, 'b.lspci'), 'not a dump\n');
    expect([...streamDumpFiles(dir)].map((parsed) => [parsed.file.slice(dir.length + 1), parsed.devices.length, parsed.problems.length])).toEqual([
      ['a.bin', 1, 0],
      ['b.lspci', 0, 1],
      ['c.bin', 1, 0],
    ]);
    expect([...streamDumpFunctions(`dump:${dir}`)].map((item) => (item.kind === 'function' ? item.fn.id : item.problem.code))).toEqual(['a.bin', 'XVC3102', 'c.bin']);
  });
});

describe('dump loader: large files read in pieces', () => {
  it('reads a text dump of several megabytes piece by piece into what a parse of the whole file gives, problems included', () => {
    const spaces = Array.from({ length: 4000 }, (_, index) => ({ address: batchAddress(index), bytes: Uint8Array.from({ length: 256 }, (_, offset) => (offset * 31 + index) & 0xff) }));
    // A damaged line in the middle, so problems and their lines are compared too.
    const lines = formatLspciHex(spaces).split('\n');
    lines.splice(Math.floor(lines.length / 2), 0, '10: 00 11 zz');
    const text = lines.join('\n');
    expect(text.length).toBeGreaterThan(3 * 1024 * 1024); // more than three pieces
    const file = join(fresh(), 'large.lspci');
    writeFileSync(file, text);
    const [read, ...more] = [...streamDumpFiles(file)];
    expect(more).toEqual([]);
    const whole = parseLspciBytes(Buffer.from(text, 'latin1'), file);
    expect(read!.devices.length).toBe(4000);
    expect(read!.devices.map((device) => ({ ...device, bytes: Array.from(device.bytes) }))).toEqual(whole.devices.map((device) => ({ ...device, bytes: Array.from(device.bytes) })));
    expect(read!.problems.map((problem) => problem.toJSON())).toEqual(whole.problems.map((problem) => problem.toJSON()));
    expect(read!.problems.length).toBeGreaterThan(0);
  });

  it('still takes a large file with a NUL in its first 64 KiB for a binary, read whole', () => {
    const bytes = Uint8Array.from({ length: 200_000 }, (_, index) => (index % 7 === 0 ? 0 : 0x41));
    const file = join(fresh(), 'large.bin');
    writeFileSync(file, bytes);
    const [read] = [...streamDumpFiles(file)];
    expect(read!.problems.map((problem) => problem.toJSON())).toEqual(parseRawConfig(bytes, file).problems.map((problem) => problem.toJSON()));
  });
});

