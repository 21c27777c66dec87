import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdtemp, writeFile } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { TargetError } from '../device-target.ts';

/** The QEMU binary used when neither an option nor `XVC_QEMU` names one. */
export const DEFAULT_QEMU_BINARY = 'qemu-system-x86_64';
const VERSION_TIMEOUT_MS = 10_000;

/**
 * Finds the QEMU binary: `explicit`, else `XVC_QEMU`, else `qemu-system-x86_64` on `PATH`. Fails with
 * `TargetError('targetUnavailable')` saying what was looked for and how to point xvc at a QEMU.
 */
export async function resolveQemuBinary(explicit?: string): Promise<string> {
  const wanted = explicit ?? (process.env.XVC_QEMU || undefined) ?? DEFAULT_QEMU_BINARY;
  const candidates = wanted.includes('/') ? [wanted] : (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, wanted));
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // try the next
    }
  }
  throw new TargetError(
    'targetUnavailable',
    `QEMU not found: '${wanted}' is not an executable${wanted.includes('/') ? '' : ' on PATH'}. Install qemu-system-x86 or set XVC_QEMU to the binary.`,
  );
}

const versions = new Map<string, Promise<string>>();

/** `qemu-system-x86_64 --version`, first line, e.g. `QEMU emulator version 7.2.22 (Debian ...)`; cached per binary. */
export function qemuVersion(binary: string): Promise<string> {
  let version = versions.get(binary);
  if (!version) {
    version = new Promise((resolve, reject) => {
      execFile(binary, ['--version'], { timeout: VERSION_TIMEOUT_MS }, (error, stdout, stderr) => {
        if (error) reject(new TargetError('targetUnavailable', `'${binary} --version' failed: ${error.message}`, { stderr: String(stderr) }));
        else resolve(String(stdout).split('\n')[0]!.trim());
      });
    });
    versions.set(binary, version);
  }
  return version;
}

const exitWithParent = new Map<string, Promise<boolean>>();

/**
 * Whether this QEMU accepts `-run-with exit-with-parent=on` (QEMU then ends itself when its parent
 * does). Read from the binary's own `-help` text, never assumed from a version: only binaries that
 * say they are QEMU 8 or later are asked (`-run-with` does not exist before), which also keeps xvc
 * from running stand-in scripts with an argument they do not expect. Cached per binary.
 */
export function qemuSupportsExitWithParent(binary: string): Promise<boolean> {
  let supported = exitWithParent.get(binary);
  if (!supported) {
    supported = qemuVersion(binary).then(
      (line) => {
        const major = Number(qemuVersionNumber(line)?.split('.')[0] ?? 0);
        if (!/^QEMU emulator version/.test(line) || major < 8) return false;
        return new Promise<boolean>((resolve) => {
          execFile(binary, ['-help'], { timeout: VERSION_TIMEOUT_MS, maxBuffer: 4 * 1024 * 1024 }, (error, stdout) => {
            resolve(!error && String(stdout).includes('-run-with') && String(stdout).includes('exit-with-parent'));
          });
        });
      },
      () => false,
    );
    exitWithParent.set(binary, supported);
  }
  return supported;
}

/** The version number alone (`7.2.22`) from a `--version` line, or undefined. */
export function qemuVersionNumber(line: string): string | undefined {
  return /version (\d+\.\d+(?:\.\d+)?)/.exec(line)?.[1];
}

const HLT = 0xf4;
const HLT_BIOS_BYTES = 64 * 1024;
let hltBios: Promise<string> | undefined;

/**
 * Path of a 64 KiB firmware image made only of HLT instructions: the CPU starts at the reset vector and
 * halts at once, so the VM runs (data path works) without a guest doing anything. Created once per
 * process, removed at exit.
 */
export function hltBiosPath(): Promise<string> {
  hltBios ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'xvc-qemu-'));
    const path = join(dir, 'hlt-bios.bin');
    await writeFile(path, new Uint8Array(HLT_BIOS_BYTES).fill(HLT));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    return path;
  })();
  return hltBios;
}
