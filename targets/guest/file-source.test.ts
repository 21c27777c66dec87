import { readdirSync, readlinkSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withOpenFile } from './file-source.ts';

const scratch = await mkdtemp(join(tmpdir(), 'xvc-file-source-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));
const bytes = Uint8Array.from({ length: 1000 }, (_, index) => (index * 7) & 0xff);
const file = join(scratch, 'module.ko');
await writeFile(file, bytes);

/** Descriptors of this process open on `path`. */
function openOn(path: string): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === path;
    } catch {
      return false;
    }
  }).length;
}

describe('withOpenFile', () => {
  it('reads exactly the ranges asked for, cut at the end of the file', async () => {
    await withOpenFile(file, async (source) => {
      expect(source.size).toBe(1000);
      expect(Array.from(await source.read(10, 5))).toEqual(Array.from(bytes.subarray(10, 15)));
      expect(Array.from(await source.read(990, 100))).toEqual(Array.from(bytes.subarray(990)));
      expect((await source.read(1000, 4)).length).toBe(0);
      expect((await source.read(5000, 4)).length).toBe(0);
    });
  });

  it('returns what the body returns and closes the file', async () => {
    expect(await withOpenFile(file, async (source) => source.size * 2)).toBe(2000);
    expect(openOn(file)).toBe(0);
  });

  it('closes the file when the body throws, and passes the error on', async () => {
    const failure = new Error('not an ELF file');
    await expect(
      withOpenFile(file, async () => {
        expect(openOn(file)).toBe(1);
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(openOn(file)).toBe(0);
  });

  it('rejects for a file that cannot be opened', async () => {
    await expect(withOpenFile(join(scratch, 'absent.ko'), async () => 1)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
