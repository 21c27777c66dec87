import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    const { code, out } = await smoke('--timeout', '5000', `exec:${node} ${root}fixtures/adapters/hang.mjs`);
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
    // '' is 0 to Number(), and a timer above 2^31-1 ms fires at once: both are usage errors.
    for (const value of ['', ' 5', '1e3', '4294967297', '2147483648', '0']) {
      const result = await smoke('--timeout', value, 'exec:true');
      expect(result.code, JSON.stringify(value)).toBe(2);
      expect(result.err).toContain('--timeout must be a whole number from 1 to 2147483647');
    }
  });
});

/** Runs the real `bin/xvc.js` in a child process and returns its exit code and output. */
function xvc(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(node, [`${root}bin/xvc.js`, ...args], { cwd: root, timeout: 120_000 }, (error, out, err) => {
      resolve({ code: error ? ((error as { code?: unknown }).code as number | null) ?? null : 0, out: String(out), err: String(err) });
    });
  });
}

describe('xvc smoke through bin/xvc.js', () => {
  let buildDir: string;
  let cAdapter: string;
  beforeAll(() => {
    buildDir = mkdtempSync(join(tmpdir(), 'xvc-smoke-c-'));
    cAdapter = join(buildDir, 'adapter');
    const here = `${root}examples/adapters/c-linux-2026/`;
    execFileSync('gcc', ['-O2', '-I', `${root}generated/c`, '-o', cAdapter, `${here}adapter.c`, `${here}json.c`]);
  });
  afterAll(() => rmSync(buildDir, { recursive: true, force: true }));

  // The adapter answers stop and exits; the connection used to send a second stop to the dead process
  // and wait on it forever, so Node exited 13 (an unsettled top-level await) with nothing printed.
  it('exits 0 with its checklist, 20 times in a row, for the C and the Python example adapters', async () => {
    const adapters = { c: `exec:${cAdapter}`, python: `exec:python3 ${root}examples/adapters/python-frontend/adapter.py` };
    for (const [name, spec] of Object.entries(adapters)) {
      for (let round = 0; round < 20; round += 2) {
        // Two at a time: the machine has two cores.
        const runs = await Promise.all([xvc(['smoke', spec]), xvc(['smoke', spec])]);
        for (const [index, result] of runs.entries()) {
          const context = `${name} adapter, run ${round + index + 1}: exit ${result.code}\n${result.out}${result.err}`;
          expect(result.code, context).toBe(0);
          expect(result.out, context).toContain('[ok]   stops when asked (exit code 0)');
          expect(result.out, context).toMatch(/\d+ passed, 0 failed, 0 warnings/);
        }
      }
    }
  }, 600_000);
});

describe('--adapter-env through bin/xvc.js, the same flag for smoke and run', () => {
  it('sets NAME=VALUE and passes a bare NAME from xvc\'s environment, nothing else', async () => {
    const env = { ...process.env, XVC_TEST_PASSED: '1', XVC_TEST_NOT_PASSED: '1' };
    const smoke = await new Promise<string>((resolve) => {
      execFile(node, [`${root}bin/xvc.js`, 'smoke', '--adapter-env', 'MODE=a', '--adapter-env', 'XVC_TEST_PASSED', `exec:node ${root}fixtures/adapters/env-echo.mjs`], { cwd: root, env, timeout: 120_000 }, (_error, out) => resolve(String(out)));
    });
    // env-echo names its environment variables as its implementation.
    expect(smoke).toContain('identifies itself: MODE,PATH,XVC_TEST_PASSED 0 (JavaScript)');
    const out = mkdtempSync(join(tmpdir(), 'xvc-adapter-env-'));
    try {
      await new Promise<void>((resolve) => {
        execFile(node, [`${root}bin/xvc.js`, 'run', '--adapter-env', 'MODE=a', '--adapter-env', 'XVC_TEST_PASSED', '--target', `exec:node ${root}fixtures/adapters/env-echo.mjs`, '--requirement', 'XEN-INV-02', '--out', out], { cwd: root, env, timeout: 120_000 }, () => resolve());
      });
      const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { metadata: { targets: { implementation: string }[] } };
      expect(results.metadata.targets.map((target) => target.implementation)).toEqual(['MODE,PATH,XVC_TEST_PASSED']);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
    const bad = await xvc(['smoke', '--adapter-env', '1BAD=x', 'exec:true']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("--adapter-env expects NAME=VALUE or NAME, got '1BAD=x'");
  });
});

describe('xvc smoke of the device-dump example: a listing is no configuration space', () => {
  const adapter = `${root}examples/adapters/device-dump/adapter.py`;
  const dumps = `${root}fixtures/dumps/qemu-7.2/`;
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'xvc-smoke-dump-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fails an lspci -vvv text given as the dump, saying why', async () => {
    const result = await xvc(['smoke', `exec:python3 ${adapter} ${dumps}blk-modern.cfg256.lspci-vvv.txt`]);
    expect(result.code).toBe(1);
    expect(result.out).toContain('[FAIL]');
    expect(result.out).toContain('an lspci -v or -vvv listing?');
  });

  it('fails an adapter that serves printable text as registers, whatever the adapter thinks', async () => {
    // Text, then a NUL: the example adapter takes it for a binary and serves its characters.
    const file = join(dir, 'text-then-zeros.bin');
    writeFileSync(file, Buffer.concat([Buffer.from('00:03.0 SCSI storage controller: Red Hat, Inc. Virtio block devic'), Buffer.alloc(192)]));
    const result = await xvc(['smoke', `exec:python3 ${adapter} ${file}`]);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/\[FAIL\] serves a PCI configuration header\n\s+its 64 bytes are printable text \("00:03\.0 SCSI storage/);
  });

  it('passes a raw config file, read back as a PCI header, named by its device directory when it is a sysfs config', async () => {
    const device = join(dir, '0000:00:03.0');
    mkdirSync(device);
    copyFileSync(`${dumps}blk-modern.cfg256.bin`, join(device, 'config'));
    const result = await xvc(['smoke', `exec:python3 ${adapter} ${join(device, 'config')}`]);
    expect(result.code, result.out).toBe(0);
    expect(result.out).toContain('lists its PCI functions: 0000:00:03.0 (256 bytes)');
    expect(result.out).toContain('[ok]   serves a PCI configuration header (64 bytes read)');
  });
});
