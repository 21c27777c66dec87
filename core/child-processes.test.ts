import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { liveChildCount, parentDeathHelper, PARENT_GONE_EXIT, reapChild, signalExitCode, spawnChild } from './child-processes.ts';

const moduleUrl = new URL('./child-processes.ts', import.meta.url).href;
const scratch = mkdtempSync(join(tmpdir(), 'xvc-children-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Running, as opposed to gone or a zombie an init that does not reap left behind. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !['Z', 'X'].includes(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
  } catch {
    return false;
  }
}

/** Waits (bounded) until none of `pids` runs; returns those still running at the deadline. */
async function survivors(pids: number[], deadlineMs = 15_000): Promise<number[]> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const alive = pids.filter(running);
    if (alive.length === 0 || Date.now() > until) return alive;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Resolves with the next `count` lines `child` writes on stdout. */
function lines(child: ChildProcess, count: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const seen: string[] = [];
    const reader = createInterface({ input: child.stdout! });
    reader.on('line', (line) => {
      seen.push(line);
      if (seen.length === count) {
        reader.close();
        resolve(seen);
      }
    });
    child.once('exit', () => reject(new Error(`exited after ${seen.length} lines: ${seen.join(' | ')}`)));
  });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

describe('process groups', () => {
  it('killing a group leader kills the grandchild it forked', async () => {
    const leader = spawnChild('sh', ['-c', 'sleep 300 & echo $!; wait'], { group: true, stdio: ['ignore', 'pipe', 'ignore'] });
    const [grandchild] = await lines(leader, 1);
    expect(running(Number(grandchild))).toBe(true);
    await reapChild(leader, 2000);
    expect(await survivors([Number(grandchild)])).toEqual([]);
  });

  it('a leader that exits by itself takes the grandchild still holding its stdout along', async () => {
    const leader = spawnChild('sh', ['-c', 'sleep 300 & echo $!; exit 3'], { group: true, stdio: ['ignore', 'pipe', 'ignore'] });
    const [grandchild] = await lines(leader, 1);
    expect((await exited(leader)).code).toBe(3);
    expect(await survivors([Number(grandchild)])).toEqual([]);
    expect(liveChildCount()).toBe(0);
  });
});

describe('parent-death signal', () => {
  it('is available on this machine (util-linux setpriv)', () => {
    // The test machines have util-linux; without it, xvc still runs, with the other two mechanisms.
    expect(parentDeathHelper()).toMatch(/setpriv$/);
  });

  it('kills the children of a process that is SIGKILLed, which runs no code of its own any more', async () => {
    const script = `
      const { spawnChild } = await import(${JSON.stringify(moduleUrl)});
      for (let i = 0; i < 3; i++) {
        const child = spawnChild('sleep', ['300'], { stdio: 'ignore', group: i === 0 });
        console.log(child.pid, child.guards.parentDeathSignal);
      }
      setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const reported = await lines(parent, 3);
    const pids = reported.map((line) => Number(line.split(' ')[0]));
    expect(reported.every((line) => line.endsWith(' true'))).toBe(true);
    expect(pids.every(running)).toBe(true);
    parent.kill('SIGKILL');
    await exited(parent);
    expect(await survivors(pids)).toEqual([]);
  });

  it('a child whose parent is already gone when it starts exits instead of running unguarded', () => {
    const helper = parentDeathHelper();
    expect(helper).not.toBeNull();
    // The guard compares $PPID with the pid xvc passed; pid 1 is never our parent.
    let status = 0;
    try {
      execFileSync(helper!, ['--pdeathsig', 'KILL', '--', '/bin/sh', '-c', '[ "$PPID" = "$1" ] || exit 125; shift; exec /usr/bin/env "$@"', 'xvc-guard', '1', 'true']);
    } catch (error) {
      status = (error as { status: number }).status;
    }
    expect(status).toBe(PARENT_GONE_EXIT);
  });

  it('passes exactly the environment it is given, nothing the guard shell adds', async () => {
    const child = spawnChild('/usr/bin/env', [], { env: { PATH: '/usr/bin:/bin', ONLY: 'this' }, stdio: ['ignore', 'pipe', 'ignore'] });
    expect(child.guards.parentDeathSignal).toBe(true);
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await new Promise((resolve) => child.once('close', resolve));
    expect(out.trim().split('\n').sort()).toEqual(['ONLY=this', 'PATH=/usr/bin:/bin']);
  });

  it('reports a missing program the way an unguarded spawn does', async () => {
    const child = spawnChild('/nonexistent/xvc-adapter', [], { stdio: 'ignore' });
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => child.once('error', resolve));
    expect(error.code).toBe('ENOENT');
    expect(child.guards.parentDeathSignal).toBe(false);
  });
});

describe('installTerminationHandler', () => {
  it('on SIGTERM kills the children, runs the handler, and exits 128+15', async () => {
    const marker = join(scratch, 'partial-written');
    const script = `
      const { spawnChild, installTerminationHandler } = await import(${JSON.stringify(moduleUrl)});
      const { writeFileSync } = await import('node:fs');
      installTerminationHandler(async (signal) => writeFileSync(${JSON.stringify(marker)}, signal));
      const child = spawnChild('sleep', ['300'], { stdio: 'ignore', group: true, dieWithParent: false });
      console.log(child.pid);
      setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [pid] = await lines(parent, 1);
    parent.kill('SIGTERM');
    expect(await exited(parent)).toEqual({ code: signalExitCode('SIGTERM'), signal: null });
    expect(readFileSync(marker, 'utf8')).toBe('SIGTERM');
    // dieWithParent is off: only the handler can have killed it.
    expect(await survivors([Number(pid)])).toEqual([]);
  });
});
