import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { liveChildCount, reap, trackChild } from './process-reaper.ts';

describe('process reaper', () => {
  it('stops a child that ignores SIGTERM with SIGKILL after the grace period', async () => {
    const child = spawn('sh', ['-c', 'trap "" TERM; sleep 30'], { stdio: 'ignore' });
    trackChild(child);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await reap(child, 200);
    expect(child.signalCode).toBe('SIGKILL');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(liveChildCount()).toBe(0);
  });

  it('kills tracked children when the Node process exits', async () => {
    // A child Node process tracks a sleeping grandchild, prints its pid, then exits without closing it.
    const script = `
      const { spawn } = require('node:child_process');
      import(${JSON.stringify(new URL('./process-reaper.ts', import.meta.url).href)}).then(({ trackChild }) => {
        const g = spawn('sleep', ['30'], { stdio: 'ignore' });
        trackChild(g);
        console.log(g.pid);
        process.exit(0);
      });`;
    const parent = spawn(process.execPath, ['--import', 'tsx', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    parent.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await new Promise((resolve) => parent.once('exit', resolve));
    const pid = Number(out.trim());
    expect(pid).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Gone, or a zombie waiting for an init that does not reap (containers): either way not running.
    const state = await readFile(`/proc/${pid}/stat`, 'utf8').then(
      (stat) => stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3),
      () => 'gone',
    );
    expect(['gone', 'Z', 'X']).toContain(state);
  });
});
