import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { eventually, isRunning, survivorsOf } from './processes.ts';

describe('process waits', () => {
  it('sees a running process, and sees it gone once killed', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    await new Promise((resolve) => child.once('spawn', resolve));
    expect(isRunning(child.pid!)).toBe(true);
    child.kill('SIGKILL');
    expect(await survivorsOf([child.pid!])).toEqual([]);
  });

  it('says no for a pid that names no process', () => {
    // Above the kernel's largest pid (2^22): no process can have it.
    expect(isRunning(4_194_305)).toBe(false);
  });

  it('eventually answers false when the condition never holds, once the deadline has passed', async () => {
    let polls = 0;
    expect(
      await eventually(() => {
        polls += 1;
        return false;
      }, 0),
    ).toBe(false);
    expect(polls).toBe(1);
    expect(await eventually(() => true, 0)).toBe(true);
  });
});
