import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_QEMU_BINARY, hltBiosPath, qemuSupportsExitWithParent, qemuVersion, qemuVersionNumber, resolveQemuBinary } from './qemu-binary.ts';

const scratch = await mkdtemp(join(tmpdir(), 'xvc-qemu-binary-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));
afterEach(() => {
  vi.unstubAllEnvs();
});

/**
 * A stand-in QEMU: prints `version` for --version and `help` for -help, and appends every argument
 * list it was started with to a log, so a test sees what xvc asked it.
 */
async function fakeQemu(name: string, version: string, help = ''): Promise<{ path: string; calls: () => Promise<string[]> }> {
  const path = join(scratch, name);
  const log = `${path}.calls`;
  await writeFile(log, '');
  await writeFile(
    path,
    `#!/bin/sh\necho "$*" >> '${log}'\nif [ "$1" = "--version" ]; then printf '%s\\n' '${version}' 'Copyright (c) the fake'; exit 0; fi\nif [ "$1" = "-help" ]; then printf '%s\\n' '${help}'; exit 0; fi\nexit 1\n`,
  );
  await chmod(path, 0o755);
  return { path, calls: async () => (await readFile(log, 'utf8')).split('\n').filter((line) => line !== '') };
}

describe('resolveQemuBinary', () => {
  it('takes an explicit path that is executable, and names a missing one and how to fix it', async () => {
    const { path } = await fakeQemu('explicit-qemu', 'QEMU emulator version 9.0.0');
    expect(await resolveQemuBinary(path)).toBe(path);
    const notExecutable = join(scratch, 'plain-file');
    await writeFile(notExecutable, '');
    await expect(resolveQemuBinary(notExecutable)).rejects.toMatchObject({ diagnostic: 'targetUnavailable', message: expect.stringContaining('set XVC_QEMU') });
  });

  it('looks a bare name up on PATH, and uses XVC_QEMU when no name is given', async () => {
    const { path } = await fakeQemu('qemu-on-path', 'QEMU emulator version 9.0.0');
    vi.stubEnv('PATH', `/nonexistent-xvc-dir:${scratch}`);
    expect(await resolveQemuBinary('qemu-on-path')).toBe(path);
    vi.stubEnv('XVC_QEMU', 'qemu-on-path');
    expect(await resolveQemuBinary()).toBe(path);
    await expect(resolveQemuBinary('qemu-nowhere')).rejects.toMatchObject({ message: expect.stringContaining("'qemu-nowhere' is not an executable on PATH") });
  });

  it('falls back to qemu-system-x86_64 when neither an option nor XVC_QEMU names one', async () => {
    expect(DEFAULT_QEMU_BINARY).toBe('qemu-system-x86_64');
    vi.stubEnv('XVC_QEMU', '');
    vi.stubEnv('PATH', scratch);
    await expect(resolveQemuBinary()).rejects.toMatchObject({ message: expect.stringContaining("'qemu-system-x86_64'") });
  });
});

describe('qemuVersion', () => {
  it("is the first line of the binary's --version, asked once per binary", async () => {
    const fake = await fakeQemu('versioned-qemu', 'QEMU emulator version 8.2.2 (Debian 1:8.2.2+ds-0ubuntu1)');
    expect(await qemuVersion(fake.path)).toBe('QEMU emulator version 8.2.2 (Debian 1:8.2.2+ds-0ubuntu1)');
    expect(await qemuVersion(fake.path)).toBe('QEMU emulator version 8.2.2 (Debian 1:8.2.2+ds-0ubuntu1)');
    expect(await fake.calls()).toEqual(['--version']);
  });

  it('fails as unavailable when the binary cannot tell', async () => {
    const broken = join(scratch, 'broken-qemu');
    await writeFile(broken, '#!/bin/sh\necho "cannot load libfoo.so" >&2\nexit 127\n');
    await chmod(broken, 0o755);
    await expect(qemuVersion(broken)).rejects.toMatchObject({ diagnostic: 'targetUnavailable', details: { stderr: expect.stringContaining('libfoo') } });
  });

  it('gives the version number alone', () => {
    expect(qemuVersionNumber('QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u16)')).toBe('7.2.22');
    expect(qemuVersionNumber('QEMU emulator version 9.1')).toBe('9.1');
    expect(qemuVersionNumber('something else')).toBeUndefined();
  });
});

describe('qemuSupportsExitWithParent', () => {
  it('asks -help of a QEMU 8 or later and believes what it says', async () => {
    const yes = await fakeQemu('qemu9-yes', 'QEMU emulator version 9.0.0', '-run-with [async-teardown=on|off][,chroot=dir][,exit-with-parent=on|off]');
    expect(await qemuSupportsExitWithParent(yes.path)).toBe(true);
    expect(await yes.calls()).toEqual(['--version', '-help']);
    const no = await fakeQemu('qemu9-no', 'QEMU emulator version 9.0.0', '-run-with [async-teardown=on|off][,chroot=dir]');
    expect(await qemuSupportsExitWithParent(no.path)).toBe(false);
  });

  it('never runs -help on a QEMU before 8, nor on a binary that does not say it is QEMU', async () => {
    const old = await fakeQemu('qemu7', 'QEMU emulator version 7.2.22', '-run-with exit-with-parent');
    expect(await qemuSupportsExitWithParent(old.path)).toBe(false);
    expect(await old.calls()).toEqual(['--version']);
    const stranger = await fakeQemu('not-qemu', 'Bochs x86 Emulator 9.0', '-run-with exit-with-parent');
    expect(await qemuSupportsExitWithParent(stranger.path)).toBe(false);
    expect(await stranger.calls()).toEqual(['--version']);
  });
});

describe('hltBiosPath', () => {
  it('is one 64 KiB image of HLT instructions (0xF4) per process', async () => {
    const path = await hltBiosPath();
    const image = await readFile(path);
    expect(image.length).toBe(64 * 1024);
    expect(image.every((byte) => byte === 0xf4)).toBe(true);
    expect(await hltBiosPath()).toBe(path);
  });
});
