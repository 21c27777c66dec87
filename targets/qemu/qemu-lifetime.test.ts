/**
 * QEMU with `-qtest stdio` does not exit when its pipe closes: if xvc dies without closing its
 * targets (SIGKILL, OOM killer, a crash), every QEMU it started must still die. Proved here the hard
 * way: a Node process starts several QEMU targets, is SIGKILLed while they are still starting, and the
 * test counts, in /proc, the QEMUs that outlive it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { qemuGate } from '../../test-support/machine-tools.ts';
import { qemuArguments } from './command-line.ts';
import { parseQemuDeviceSpec, type QemuDeviceSpec } from './device-spec.ts';
import { qemuSupportsExitWithParent, qemuVersion, qemuVersionNumber, resolveQemuBinary } from './qemu-binary.ts';

const qemu = await qemuGate();
const QEMUS = 4;

/** Processes whose parent is `parent` and whose name starts with `qemu-system`. */
function qemuChildren(parent: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent && name.startsWith('qemu-system')) found.push(Number(entry));
    } catch {
      // gone while listing
    }
  }
  return found;
}

/** Running, as opposed to gone or a zombie that an init which does not reap left behind. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !['Z', 'X'].includes(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
  } catch {
    return false;
  }
}

async function until<T>(what: () => T, done: (value: T) => boolean, deadlineMs: number): Promise<T> {
  const stop = Date.now() + deadlineMs;
  for (;;) {
    const value = what();
    if (done(value) || Date.now() > stop) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

describe('QEMU lifetime options', () => {
  it('adds -run-with exit-with-parent=on only when asked', () => {
    const spec = parseQemuDeviceSpec('qemu:virtio-net-pci') as QemuDeviceSpec;
    expect(qemuArguments(spec).join(' ')).not.toContain('-run-with');
    expect(qemuArguments(spec, undefined, { exitWithParent: true }).join(' ')).toContain('-run-with exit-with-parent=on');
  });
});

describe.skipIf(!qemu.runs)(qemu.title('QEMU lifetime'), () => {
  beforeAll(() => qemu.require());
  it('asks the installed QEMU whether it has exit-with-parent, rather than assuming', async () => {
    const binary = await resolveQemuBinary();
    const major = Number(qemuVersionNumber(await qemuVersion(binary))?.split('.')[0]);
    const supported = await qemuSupportsExitWithParent(binary);
    // -run-with does not exist before QEMU 8; from 8 on, the answer comes from -help.
    if (major < 8) expect(supported).toBe(false);
    else expect(typeof supported).toBe('boolean');
  });

  it(`no QEMU survives a SIGKILLed xvc that was starting ${QEMUS} of them`, async () => {
    const qemu = new URL('../qemu.ts', import.meta.url).href;
    // Starts the targets without waiting for them and says so; the test waits for the QEMU processes
    // themselves to appear before it kills this process.
    const script = `
      const { createQemuTarget } = await import(${JSON.stringify(qemu)});
      for (let i = 0; i < ${QEMUS}; i++) createQemuTarget('qemu:virtio-net-pci,disable-legacy=on').catch(() => undefined);
      console.log('starting');
      setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((resolve) => parent.stdout!.once('data', resolve));
    const pids = await until(() => qemuChildren(parent.pid!), (found) => found.length === QEMUS, 60_000);
    expect(pids).toHaveLength(QEMUS);
    parent.kill('SIGKILL');
    await exited(parent);
    const survivors = await until(() => pids.filter(running), (alive) => alive.length === 0, 20_000);
    // Whatever the outcome, nothing of this test is left running.
    for (const pid of survivors) process.kill(pid, 'SIGKILL');
    expect(survivors).toEqual([]);
  }, 120_000);
});
