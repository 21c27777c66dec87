/**
 * Initramfs images that misbehave on purpose, for the guest target's fault-injection tests: one whose
 * init prints a line and then waits forever (a hung guest).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { writeNewcArchive } from '../targets/guest/newc-archive.ts';

const EXECUTABLE = 0o755;
/** /dev/console (5,1), so the init's output reaches the serial console. */
const CONSOLE = { major: 5, minor: 1 };

/** Writes to `path` an initramfs whose init prints `xvc-test: hanging` and sleeps forever. */
export async function writeHangingInitramfs(path: string, busybox: string): Promise<void> {
  const init = '#!/bin/busybox sh\n/bin/busybox echo "xvc-test: hanging"\nwhile :; do /bin/busybox sleep 60; done\n';
  const archive = writeNewcArchive([
    { kind: 'directory', path: 'bin' },
    { kind: 'directory', path: 'dev' },
    { kind: 'char-device', path: 'dev/console', ...CONSOLE },
    { kind: 'file', path: 'bin/busybox', data: new Uint8Array(await readFile(busybox)), mode: EXECUTABLE },
    { kind: 'file', path: 'init', data: new TextEncoder().encode(init), mode: EXECUTABLE },
  ]);
  await writeFile(path, archive);
}
