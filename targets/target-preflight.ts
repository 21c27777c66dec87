/**
 * What can be known about a target before anything runs, so that bad input is reported once, with
 * its reason, and the run never starts (exit 2) instead of failing every check of the target with
 * the same harness error: a dump path that does not exist, a QEMU device this QEMU does not have, an
 * adapter command that is not there.
 */
import { XvcError } from '../core/xvc-error.ts';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { nearest } from '../core/nearest.ts';
import { TargetError } from './device-target.ts';
import type { TargetSpec } from './target-spec.ts';

/** A target that cannot be used, and why; the run stops before it starts. */
export class TargetInputError extends XvcError<'targetUnusable'> {
  constructor(
    readonly spec: string,
    readonly reason: string,
  ) {
    super('targetUnusable', `${spec}: ${reason}`, { spec, reason });
  }
}

async function executable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Where `command` would be found: itself when it has a slash (relative to `cwd`), else on PATH. */
export async function findCommand(command: string, cwd = process.cwd(), path = process.env.PATH ?? ''): Promise<string | undefined> {
  if (command.includes('/')) {
    const full = isAbsolute(command) ? command : resolve(cwd, command);
    return (await executable(full)) ? full : undefined;
  }
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const full = join(dir, command);
    if (await executable(full)) return full;
  }
  return undefined;
}

async function checkDump(target: Extract<TargetSpec, { kind: 'dump' }>): Promise<void> {
  let info;
  try {
    info = await stat(target.path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new TargetInputError(target.spec, code === 'ENOENT' ? `no such file or directory: ${target.path}` : `cannot read ${target.path} (${code ?? String(error)})`);
  }
  if (!info.isFile() && !info.isDirectory()) throw new TargetInputError(target.spec, `${target.path} is neither a regular file nor a directory`);
  // A dump the reader cannot parse (cut-short hex, random bytes) is bad input, not a device to judge.
  const { checkDumpInput } = await import('./dump.ts');
  const unreadable = checkDumpInput(target.path);
  if (unreadable !== undefined) throw new TargetInputError(target.spec, unreadable.message);
}

async function checkExec(target: Extract<TargetSpec, { kind: 'exec' }>): Promise<void> {
  const command = target.argv[0]!;
  if ((await findCommand(command)) === undefined) {
    throw new TargetInputError(target.spec, command.includes('/') ? `${command} is not an executable file` : `'${command}' is not an executable on PATH`);
  }
}

async function checkQemu(target: Extract<TargetSpec, { kind: 'qemu' }>): Promise<void> {
  const { listQemuSweepTargets, parseQemuDeviceSpec } = await import('./qemu.ts');
  const parsed = parseQemuDeviceSpec(target.spec);
  if (parsed instanceof TargetError) throw new TargetInputError(target.spec, parsed.message);
  let catalogue;
  try {
    catalogue = await listQemuSweepTargets();
  } catch (error) {
    throw new TargetInputError(target.spec, error instanceof Error ? error.message : String(error));
  }
  const device = parsed.device;
  const known = new Set([...catalogue.targets.map((entry) => entry.device), ...catalogue.skipped.map((entry) => entry.device)]);
  if (!known.has(device)) {
    const guess = nearest(device, known);
    throw new TargetInputError(target.spec, `${catalogue.binary} has no virtio-PCI device '${device}'${guess === undefined ? '' : ` (did you mean ${guess}?)`}`);
  }
  if (parsed.props.length > 0) await checkQemuProperties(target.spec);
}

/**
 * Starts the device once, because only QEMU knows its properties and their values: one it refuses
 * (`bogus=1`, `disable-legacy=maybe`) is bad input, said once with QEMU's own reason. Any other
 * failure to start is left to the run, which records it as a harness error.
 */
async function checkQemuProperties(spec: string): Promise<void> {
  const { createQemuTarget } = await import('./qemu.ts');
  let started;
  try {
    started = await createQemuTarget(spec);
  } catch (error) {
    const stderr = error instanceof TargetError ? (error.details.stderr ?? '') : '';
    const refusal = stderr.split('\n').find((line) => /^\S*qemu-system[^:]*: -device /.test(line));
    if (refusal !== undefined) throw new TargetInputError(spec, `QEMU refuses the device: ${refusal.slice(refusal.indexOf(': -device ') + 2)}`);
    return;
  }
  await started.close();
}

/** Checks that `target` can be opened at all; throws {@link TargetInputError} saying why not. */
export async function preflightTarget(target: TargetSpec): Promise<void> {
  switch (target.kind) {
    case 'dump':
      return checkDump(target);
    case 'exec':
      return checkExec(target);
    case 'qemu':
      return checkQemu(target);
    default:
      return;
  }
}
