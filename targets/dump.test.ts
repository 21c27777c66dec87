import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDumpTarget, parseLspciText } from './dump.ts';
import { TargetError } from './device-target.ts';

const fixtures = new URL('../fixtures/dumps/', import.meta.url).pathname;
const qemuFixtures = join(fixtures, 'qemu-7.2');
const pciutilsFixtures = join(fixtures, 'pciutils-tests');
const scratch = await mkdtemp(join(tmpdir(), 'xvc-dump-test-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('dump target over the QEMU 7.2 fixtures', () => {
  it('gives exactly the bytes of the .bin file for every .lspci file', async () => {
    const names = (await readdir(qemuFixtures)).filter((name) => name.endsWith('.lspci'));
    expect(names.length).toBeGreaterThanOrEqual(7);
    for (const name of names) {
      const target = await createDumpTarget(join(qemuFixtures, name));
      expect(target.problems, name).toEqual([]);
      const [fn, ...rest] = await target.functions();
      expect(rest).toEqual([]);
      const expected = new Uint8Array(await readFile(join(qemuFixtures, name.replace(/\.lspci$/, '.bin'))));
      expect(fn!.configSize, name).toBe(expected.length);
      expect(fn!.truncated).toBe(false);
      expect(await fn!.snapshot(), name).toEqual(expected);
    }
  });

  it('reads a raw binary as one function named after the file', async () => {
    const target = await createDumpTarget(`dump:${join(qemuFixtures, 'net-pcie.cfg4k.bin')}`);
    const [fn] = await target.functions();
    expect(fn!.id).toBe('net-pcie.cfg4k.bin');
    expect(fn!.configSize).toBe(4096);
    expect(await fn!.readConfig(0, 2)).toBe(0x1af4);
    expect(await fn!.readConfig(0, 4)).toBe(0x10411af4);
    expect(target.metadata.kind).toBe('dump');
  });

  it('keeps the address and description of the header line, with a domain added', async () => {
    const target = await createDumpTarget(join(qemuFixtures, 'net-modern.cfg256.lspci'));
    const [fn] = await target.functions();
    expect(fn!.id).toBe('0000:00:03.0');
    expect(fn!.description).toBe('Ethernet controller: Red Hat, Inc. Virtio 1.0 network device (rev 01)');
    expect(fn!.live).toBe(false);
    expect('writeConfig' in fn!).toBe(false);
  });

  it('reads a whole directory, skipping metadata, with file-prefixed ids', async () => {
    const target = await createDumpTarget(qemuFixtures);
    const ids = (await target.functions()).map((fn) => fn.id);
    expect(ids).toContain('net-modern.cfg256.bin');
    expect(ids).toContain('net-modern.cfg256.lspci:0000:00:03.0');
    // The -vvv listings have headers but no hex: each is reported, none crashes the read.
    expect(target.problems.every((p) => p.code === 'XVC3107' && p.file.endsWith('-vvv.txt'))).toBe(true);
  });
});

describe('dump target over the pciutils test files', () => {
  it('reads the decoded-plus-hex files (comments and indented lines skipped)', async () => {
    const cases: Record<string, { id: string; size: number; vendor: number }> = {
      'pciutils-tests_qemu2015-virtio-net.txt': { id: '0000:00:09.0', size: 256, vendor: 0x1af4 },
      'pciutils-tests_virtio-fs-shm.txt': { id: '0000:00:04.0', size: 256, vendor: 0x1af4 },
      'pciutils-tests_neg-8086-0d93-subsys1af4.txt': { id: '0000:df:00.0', size: 4096, vendor: 0x8086 },
    };
    for (const [name, want] of Object.entries(cases)) {
      const target = await createDumpTarget(join(pciutilsFixtures, name));
      expect(target.problems, name).toEqual([]);
      const [fn] = await target.functions();
      expect(fn!.id, name).toBe(want.id);
      expect(fn!.configSize, name).toBe(want.size);
      expect(await fn!.readConfig(0, 2), name).toBe(want.vendor);
    }
  });

  it('reports a decoded-only listing as having no configuration bytes, located at its header', async () => {
    const target = await createDumpTarget(join(pciutilsFixtures, 'pciutils-pr167_virtio-pmem-shm-decoded.txt'));
    expect(await target.functions()).toEqual([]);
    expect(target.problems.map((p) => [p.code, p.line])).toEqual([['XVC3107', 7]]);
  });

  it('parses every dump-like fixture without losing a device to an error', async () => {
    for (const name of await readdir(pciutilsFixtures)) {
      const target = await createDumpTarget(join(pciutilsFixtures, name));
      const errors = target.problems.filter((p) => p.severity === 'error' && p.code !== 'XVC3107');
      expect(errors, name).toEqual([]);
    }
  });
});

describe('malformed dumps', () => {
  it('collects located problems and keeps every readable device', async () => {
    const file = join(fixtures, 'malformed', 'mixed-problems.lspci');
    const target = await createDumpTarget(file);
    const problems = target.problems.map((p) => [p.code, p.line, p.column, p.severity]);
    expect(problems).toEqual([
      ['XVC3103', 21, 11, 'error'],
      ['XVC3108', 23, 1, 'warning'],
      ['XVC3102', 29, 1, 'error'],
      ['XVC3105', 32, 1, 'error'],
      ['XVC3104', 34, 1, 'error'],
      ['XVC3107', 35, 1, 'error'],
      ['XVC3108', 37, 1, 'warning'],
    ]);
    expect(target.problems.every((p) => p.file === file)).toBe(true);
    const functions = await target.functions();
    expect(functions.map((fn) => [fn.id, fn.configSize, fn.truncated])).toEqual([
      ['0000:00:01.0', 256, false],
      ['0000:00:02.0', 16, true],
      ['0000:00:03.0', 64, true],
      ['0000:00:04.0', 16, true],
      ['0000:00:06.0', 53, true],
    ]);
    const cut = functions[4]!;
    expect(await cut.readConfig(0x34, 1)).toBe(0x98);
    await expect(cut.readConfig(0x34, 4)).rejects.toBeInstanceOf(TargetError);
  });

  it('locates a bad byte by column and names the device', () => {
    const { problems } = parseLspciText('00:01.0 x\n00: 00 0g\n', 'mem.txt');
    expect(problems).toHaveLength(1);
    expect(problems[0]!.located).toBe('mem.txt:2:9: error: expected up to 16 two-digit hex bytes separated by single spaces');
    expect(problems[0]!.device).toBe('0000:00:01.0');
  });

  it('rejects more than 16 bytes on a line and bytes past 4096', () => {
    const seventeen = `00: ${Array.from({ length: 17 }, () => 'ab').join(' ')}`;
    expect(parseLspciText(`00:01.0\n${seventeen}\n`, 'f').problems[0]!.code).toBe('XVC3103');
    const lines = ['00:01.0'];
    for (let offset = 0; offset <= 4096; offset += 16) lines.push(`${offset.toString(16).padStart(2, '0')}: ${Array(16).fill('00').join(' ')}`);
    const parsed = parseLspciText(lines.join('\n'), 'f');
    expect(parsed.problems.map((p) => p.code)).toEqual(['XVC3106']);
    expect(parsed.devices[0]!.bytes.length).toBe(4096);
  });

  it('accepts CRLF, a 5-digit domain and no description; flags duplicate addresses', () => {
    const parsed = parseLspciText('10000:01:00.1\r\n00: 01 02\r\n\r\n10000:01:00.1\r\n00: 03\r\n', 'f');
    expect(parsed.devices.map((d) => [d.address, Array.from(d.bytes)])).toEqual([
      ['10000:01:00.1', [1, 2]],
      ['10000:01:00.1#2', [3]],
    ]);
    expect(parsed.problems.map((p) => p.code)).toEqual(['XVC3108', 'XVC3109', 'XVC3108']);
  });

  it('gives a duplicate address to the copy it names, and a text device cut short the offset where its bytes end', async () => {
    const file = join(scratch, 'twice.lspci');
    const header = Array.from({ length: 4 }, (_, row) => `${(row * 16).toString(16).padStart(2, '0')}: ${Array(16).fill('00').join(' ')}`).join('\n');
    await writeFile(file, `00:03.0 first\n${header}\n\n00:03.0 second\n${header}\n40: 00 00\n`);
    const functions = await (await createDumpTarget(file)).functions();
    expect(functions.map((fn) => [fn.id, fn.readProblems.map((problem) => [problem.code, problem.line, problem.bytesMissing])])).toEqual([
      ['0000:00:03.0', [['XVC3108', 1, true]]],
      ['0000:00:03.0#2', [['XVC3109', 7, false], ['XVC3108', 7, true]]],
    ]);
    expect(functions[1]!.readProblems[1]!.message).toMatch(/^device 0000:00:03\.0#2: dump holds 66 bytes.*offset 0x42/);
  });

  it('reports a truncated raw binary and reads it as far as it goes', async () => {
    const full = await readFile(join(qemuFixtures, 'blk-modern.cfg256.bin'));
    const file = join(scratch, 'cut.bin');
    await writeFile(file, full.subarray(0, 200));
    const target = await createDumpTarget(file);
    expect(target.problems.map((p) => [p.code, p.severity])).toEqual([['XVC3108', 'warning']]);
    const [fn] = await target.functions();
    expect([fn!.configSize, fn!.truncated]).toEqual([200, true]);
  });

  it('gives each function the reader problems of its own bytes, so a run can record them with its results', async () => {
    const full = await readFile(join(qemuFixtures, 'net-modern.cfg256.bin'));
    const dir = join(scratch, 'one-cut');
    await mkdir(dir);
    await writeFile(join(dir, 'a-good.bin'), full);
    await writeFile(join(dir, 'b-cut.bin'), full.subarray(0, 65));
    const target = await createDumpTarget(dir);
    expect(target.inputError).toBeUndefined();
    const functions = await target.functions();
    expect(functions.map((fn) => [fn.id, fn.readProblems?.map((problem) => [problem.code, problem.bytesMissing]) ?? []])).toEqual([
      ['a-good.bin', []],
      ['b-cut.bin', [['XVC3108', true]]],
    ]);
    expect(functions[1]!.readProblems![0]!.located).toMatch(/b-cut\.bin:0:0: warning: device b-cut\.bin: .*offset 0x41/);
  });

  it('gives a text device cut short its problem, and none to the whole device beside it', async () => {
    const file = join(scratch, 'cut.lspci');
    await writeFile(file, '00:03.0 net\n00: f4 1a 41 10\n\n00:04.0 blk\n' + Array.from({ length: 16 }, (_, row) => `${(row * 16).toString(16).padStart(2, '0')}: ${Array(16).fill('00').join(' ')}`).join('\n') + '\n');
    const functions = await (await createDumpTarget(file)).functions();
    expect(functions.map((fn) => [fn.id, fn.readProblems?.map((problem) => [problem.code, problem.bytesMissing]) ?? []])).toEqual([
      ['0000:00:03.0', [['XVC3108', true]]],
      ['0000:00:04.0', []],
    ]);
  });

  it('reports a missing path instead of throwing', async () => {
    const target = await createDumpTarget(join(scratch, 'absent'));
    expect(target.problems.map((p) => p.code)).toEqual(['XVC3101']);
    expect(await target.functions()).toEqual([]);
  });
});
