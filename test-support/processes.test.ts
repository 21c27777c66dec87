import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { eventually, isRunning, survivorsOf, waitForOutput } from './processes.ts';

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

  it('waitForOutput resolves on the readiness line, on stderr or stdout', async () => {
    const child = spawn(process.execPath, ['-e', "console.error('starting'); console.log('out: ready'); setTimeout(() => console.error('ready 42'), 50); setInterval(() => {}, 1000)"], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      expect(await waitForOutput(child, /ready \d+/)).toMatch(/starting\n[^]*ready 42/);
      const other = spawn(process.execPath, ['-e', "console.log('out: ready'); setInterval(() => {}, 1000)"], { stdio: ['ignore', 'pipe', 'pipe'] });
      try {
        expect(await waitForOutput(other, /out: ready/, { stream: 'stdout' })).toContain('out: ready');
      } finally {
        other.kill('SIGKILL');
      }
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('waitForOutput rejects at once, with the exit code and stderr, when the child exits without the line', async () => {
    const child = spawn(process.execPath, ['-e', "console.error('XVC2001 no such option'); process.exit(2)"], { stdio: ['ignore', 'ignore', 'pipe'] });
    await expect(waitForOutput(child, / 0\/\d+ results/)).rejects.toThrow(/exited \(code 2\)[^]*XVC2001 no such option/);
  });

  it('waitForOutput rejects when the deadline passes with the child silent', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: ['ignore', 'ignore', 'pipe'] });
    try {
      await expect(waitForOutput(child, /ready/, { deadlineMs: 0 })).rejects.toThrow(/no line matching \/ready\/ within 0 ms/);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
