import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { descendantsOf, isAlive, survivors } from './process-tree.ts';

describe('process tree', () => {
  it('finds a child and a grandchild, and sees them gone once killed', async () => {
    const child = spawn('sh', ['-c', 'sleep 300 & echo started; wait'], { stdio: ['ignore', 'pipe', 'ignore'] });
    await new Promise<void>((ready) => child.stdout.once('data', () => ready()));
    const found = descendantsOf(process.pid);
    expect(found).toContain(child.pid);
    const grandchildren = descendantsOf(child.pid!);
    expect(grandchildren.length).toBe(1);
    expect(isAlive(grandchildren[0]!)).toBe(true);
    process.kill(grandchildren[0]!, 'SIGKILL');
    child.kill('SIGKILL');
    expect(await survivors([child.pid!, grandchildren[0]!])).toEqual([]);
  });
});
