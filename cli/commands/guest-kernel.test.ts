import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../main.ts';
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

  it('refuses unknown actions and options as usage errors: xvc prints the code and the help, and exits 2', async () => {
    await expect(call(['install'])).rejects.toMatchObject({ code: 'XVC2001', message: "expected 'status' or 'fetch'" });
    await expect(call(['--bogus'])).rejects.toMatchObject({ code: 'XVC2001' });
    let err = '';
    expect(await main(['guest-kernel', 'install'], { stdout: () => undefined, stderr: (text) => (err += text) })).toBe(2);
    expect(err).toBe(`xvc guest-kernel: XVC2001 expected 'status' or 'fetch'\n${usage}`);
    const help = await call(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toBe(usage);
    expect(usage).toContain('kernel=PATH');
  });
});
