/**
 * The programs of the machine that tests need, each as a {@link ToolGate}: in CI (.ci/run installs
 * or fetches every one of them) a missing one fails its tests; elsewhere they are skipped under a
 * title naming it.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { isStaticElfExecutable } from '../targets/guest/elf-file.ts';
import { withOpenFile } from '../targets/guest/file-source.ts';
import { cachedGuestKernel, FETCH_COMMAND } from '../targets/guest/guest-kernel.ts';
import { resolveQemuBinary } from '../targets/qemu/qemu-binary.ts';
import { lspciAvailable } from './pciutils/lspci-runner.ts';
import { toolGate, type ToolGate } from './required-tool.ts';

/** The executable `command` names on PATH, or undefined. */
export function onPath(command: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** A command of PATH, with how to install it. */
export function commandGate(command: string, howToGet: string): ToolGate {
  return toolGate(command, onPath(command) !== undefined, howToGet);
}

/** The QEMU xvc would use (XVC_QEMU, else qemu-system-x86_64 on PATH). */
export async function qemuGate(): Promise<ToolGate & { binary: string | undefined }> {
  const binary = await resolveQemuBinary().catch(() => undefined);
  return { ...toolGate('qemu-system-x86_64', binary !== undefined, 'install qemu-system-x86 or set XVC_QEMU'), binary };
}

/** lspci of pciutils. */
export async function lspciGate(): Promise<ToolGate> {
  return toolGate('lspci', await lspciAvailable(), 'install pciutils');
}

/**
 * A statically linked busybox: the machine's own, else the one `xvc guest-kernel fetch` put in the
 * guest cache (which CI fetches).
 */
export async function busyboxGate(): Promise<ToolGate & { binary: string | undefined }> {
  let binary: string | undefined;
  for (const candidate of ['/bin/busybox', '/usr/bin/busybox']) {
    if (await withOpenFile(candidate, isStaticElfExecutable).catch(() => false)) {
      binary = candidate;
      break;
    }
  }
  binary ??= (await cachedGuestKernel())?.busybox;
  return { ...toolGate('a static busybox', binary !== undefined, `install busybox-static, or run '${FETCH_COMMAND}'`), binary };
}

/** The Debian guest kernel of `xvc guest-kernel fetch`. */
export async function guestKernelGate(): Promise<ToolGate> {
  return toolGate('the guest kernel', (await cachedGuestKernel()) !== undefined, `run '${FETCH_COMMAND}'`);
}
