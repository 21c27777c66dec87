import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { survivorsOf } from '../../test-support/processes.ts';
import { liveChildCount, reap, trackChild } from './process-reaper.ts';

describe('process reaper', () => {
  it('stops a child that ignores SIGTERM with SIGKILL after the grace period', async () => {
    // The shell says when SIGTERM is ignored (an ignored signal stays ignored across exec).
    const child = spawn('sh', ['-c', 'trap "" TERM; echo ready; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
    trackChild(child);
    await new Promise((resolve) => child.stdout.once('data', resolve));
    await reap(child, 200);
    expect(child.signalCode).toBe('SIGKILL');
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
    // Gone, or a zombie waiting for an init that does not reap (containers): either way not running.
    expect(await survivorsOf([pid])).toEqual([]);
  });
});
