import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run, usage } from './guest-kernel.ts';

const scratch = await mkdtemp(join(tmpdir(), 'xvc-guest-kernel-cli-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

async function call(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(args, { stdout: (text) => (out += text), stderr: (text) => (err += text) });
  return { code, out, err };
}

describe('xvc guest-kernel', () => {
  it('reports an empty cache with the command that fills it (exit 1)', async () => {
    const result = await call(['status', '--cache', join(scratch, 'empty')]);
    expect(result.code).toBe(1);
    expect(result.out).toContain('xvc guest-kernel fetch');
  });

  it('refuses unknown actions and options (exit 2) and prints its help', async () => {
    expect((await call(['install'])).code).toBe(2);
    expect((await call(['--bogus'])).code).toBe(2);
    const help = await call(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toBe(usage);
    expect(usage).toContain('kernel=PATH');
  });
});
