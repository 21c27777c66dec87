import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run } from './smoke.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const node = process.execPath;

async function smoke(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(args, { stdout: (text) => (out += text), stderr: (text) => (err += text) });
  return { code, out, err };
}

describe('xvc smoke', () => {
  it('passes the Python example frontend on every check', async () => {
    const { code, out } = await smoke(`exec:python3 ${root}examples/adapters/python-frontend/adapter.py`);
    expect(out).toContain('[ok]   speaks xvc-adapter/1');
    expect(out).toContain('smoke-net -> no-grants');
    expect(out).toContain('answers an unknown command with an error (unknown-command)');
    expect(out).toContain('answers a malformed decide with an error (bad-request)');
    expect(out).toContain('stops when asked (exit code 0)');
    expect(out).toMatch(/\d+ passed, 0 failed, 0 warnings/);
    expect(code).toBe(0);
  });

  it('checks a device adapter with list-functions and a config read', async () => {
    const { code, out } = await smoke(`exec:python3 ${root}examples/adapters/device-dump/adapter.py ${root}fixtures/dumps/qemu-7.2/blk-modern.cfg256.lspci`);
    expect(out).toContain('role device');
    expect(out).toContain('lists its PCI functions: 00:03.0 (256 bytes)');
    expect(out).toContain('reads the vendor ID of 00:03.0: 0x1af4');
    expect(out).toContain('answers a malformed config-read with an error (bad-request)');
    expect(code).toBe(0);
  });

  it('tells the author that the adapter dies on a malformed request, with its stderr', async () => {
    const { code, out } = await smoke(`exec:${node} ${root}fixtures/adapters/well-behaved.mjs`);
    expect(out).toContain('[ok]   answers an unknown command with an error (unknown-command)');
    expect(out).toContain('[FAIL] answers a malformed decide with an error');
    expect(out).toMatch(/exited with code 1 .*while handling a malformed request/);
    expect(out).toContain('TypeError');
    expect(out).toContain('fix: an adapter must survive any request');
    expect(code).toBe(1);
  });

  it('reports an adapter that exits at start with its last stderr lines', async () => {
    const { code, out } = await smoke(`exec:${node} ${root}fixtures/adapters/exit-at-start.mjs`);
    expect(out).toContain('[FAIL] starts and answers start');
    expect(out).toContain('| fake: cannot open /etc/fake-frontend.conf');
    expect(code).toBe(1);
  });

  it('reports a wrong protocol version and what to answer instead', async () => {
    const { code, out } = await smoke(`exec:${node} ${root}fixtures/adapters/wrong-version.mjs`);
    expect(out).toContain("it speaks 'xvc-adapter/9'; this xvc speaks 'xvc-adapter/1'");
    expect(code).toBe(1);
  });

  it('reports a hang as a timeout with the flushing hint', async () => {
    const { code, out } = await smoke('--timeout', '300', `exec:${node} ${root}fixtures/adapters/hang.mjs`);
    // hang.mjs answers start but never anything after the poison scenario; the trivial one is not poison.
    expect(out).toContain('[ok]   starts and answers start');
    expect(code).toBe(1);
    expect(out).toContain('[FAIL]');
  });

  it('warns about extra fields, and fails them under --strict-protocol', async () => {
    const lax = await smoke(`exec:${node} ${root}fixtures/adapters/extra-fields.mjs`);
    expect(lax.out).toContain("[warn] sends only fields the protocol defines");
    expect(lax.out).toContain("unknown field 'confidence'");
    const strict = await smoke('--strict-protocol', `exec:${node} ${root}fixtures/adapters/extra-fields.mjs`);
    expect(strict.out).toContain('[FAIL]');
    expect(strict.code).toBe(1);
  });

  it('rejects bad usage with exit code 2', async () => {
    expect((await smoke()).code).toBe(2);
    expect((await smoke('reference')).code).toBe(2);
    expect((await smoke('--timeout', 'soon', 'exec:true')).code).toBe(2);
  });
});
