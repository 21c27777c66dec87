import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { qemuGate } from '../test-support/machine-tools.ts';
import { findCommand, preflightTarget, TargetInputError } from './target-preflight.ts';
import { parseTargetSpec } from './target-spec.ts';

const dir = mkdtempSync(join(tmpdir(), 'xvc-preflight-'));

async function refusal(spec: string): Promise<string> {
  try {
    await preflightTarget(parseTargetSpec(spec));
  } catch (error) {
    if (error instanceof TargetInputError) return error.reason;
    throw error;
  }
  return 'accepted';
}

describe('preflightTarget', () => {
  it('accepts built-in targets, an existing dump file or directory and an adapter on PATH', async () => {
    const dump = join(import.meta.dirname, '..', 'fixtures', 'dumps', 'qemu-7.2', 'net-modern.cfg256.lspci');
    const captures = join(dir, 'captures');
    mkdirSync(captures);
    copyFileSync(dump, join(captures, 'net-modern.cfg256.lspci'));
    for (const spec of ['reference', 'model:linux-6.5', `dump:${dump}`, `dump:${captures}`, 'exec:node x.js']) expect(await refusal(spec), spec).toBe('accepted');
  });

  it('refuses a dump the reader cannot parse', async () => {
    const garbage = join(dir, 'cut.txt');
    writeFileSync(garbage, '00:03.0 Ethernet controller: x\n00: f4 1a 4\n');
    expect(await refusal(`dump:${garbage}`)).toMatch(/cut\.txt/);
  });

  it('refuses a missing dump and one that is neither a file nor a directory', async () => {
    expect(await refusal(`dump:${join(dir, 'missing.txt')}`)).toMatch(/^no such file or directory: /);
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    expect(await refusal(`dump:${fifo}`)).toMatch(/neither a regular file nor a directory/);
  });

  it('refuses an adapter command that is not there or not executable', async () => {
    expect(await refusal('exec:no-such-adapter-xvc --flag')).toBe("'no-such-adapter-xvc' is not an executable on PATH");
    const script = join(dir, 'adapter.sh');
    writeFileSync(script, '#!/bin/sh\n');
    chmodSync(script, 0o644);
    expect(await refusal(`exec:${script}`)).toBe(`${script} is not an executable file`);
  });
});

describe('findCommand', () => {
  it('looks on PATH for a bare name and relative to the working directory for a path', async () => {
    const script = join(dir, 'tool');
    writeFileSync(script, '#!/bin/sh\n');
    chmodSync(script, 0o755);
    expect(await findCommand('tool', '/', dir)).toBe(script);
    expect(await findCommand('./tool', dir, '')).toBe(script);
    expect(await findCommand('tool', '/', '')).toBeUndefined();
  });
});

const qemu = await qemuGate();

describe.skipIf(!qemu.runs)(qemu.title('preflight of QEMU device properties'), () => {
  it('refuses a property or a value QEMU refuses, with QEMU\'s reason, and accepts one it takes', async () => {
    expect(await refusal('qemu:virtio-net-pci,bogus=1')).toMatch(/^QEMU refuses the device: -device virtio-net-pci,bogus=1.*Property 'virtio-net-pci\.bogus' not found$/);
    expect(await refusal('qemu:virtio-net-pci,disable-legacy=maybe')).toMatch(/Parameter 'disable-legacy' does not accept value 'maybe'$/);
    expect(await refusal('qemu:virtio-net-pci,disable-legacy=on')).toBe('accepted');
  });
});
