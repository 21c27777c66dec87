import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { liveChildCount } from '../../core/child-processes.ts';
import { cachedGuestKernel, FETCH_COMMAND } from '../../targets/guest.ts';
import { parseTargetSpec } from '../../targets/target-spec.ts';
import { writeHangingInitramfs } from '../../test-support/guest-initramfs.ts';
import { toolGate } from '../../test-support/required-tool.ts';
import type { CaseResult } from '../conformance-case.ts';
import { driverCases } from './driver-cases.ts';
import { driverChecks } from './check-table.ts';

const scratch = await mkdtemp(join(tmpdir(), 'xvc-driver-cases-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

const kernel = await cachedGuestKernel();
/** Boots need the Debian kernel: CI fetches it and fails without it; elsewhere these tests skip under a title saying so. */
const kernelGate = toolGate('the guest kernel', kernel !== undefined, `run '${FETCH_COMMAND}'`);
function withKernel(name: string, body: () => Promise<void>): void {
  it.skipIf(!kernelGate.runs)(kernelGate.title(name), async () => {
    kernelGate.require();
    await body();
  });
}

async function results(spec: string, options = {}): Promise<CaseResult[]> {
  const suite = await driverCases([parseTargetSpec(spec)], options);
  try {
    expect(suite.cases).toHaveLength(driverChecks.length);
    return await Promise.all(suite.cases.map((testCase) => testCase.run()));
  } finally {
    await suite.close();
  }
}

function text(result: CaseResult): string {
  return result.outcome === 'error' || result.outcome === 'fail' || result.outcome === 'warning' ? result.evidence.map((e) => (e.kind === 'text' ? e.text : e.kind === 'harness' ? `${e.code} ${e.stderr ?? ''}` : '')).join('\n') : '';
}

describe('driverCases', () => {
  it('makes one case per driver check and target, named by ids, grouped by target, without booting when lazy', async () => {
    const suite = await driverCases([parseTargetSpec('guest:virtio-rng-pci'), parseTargetSpec('reference')], { eager: false });
    expect(suite.cases).toHaveLength(driverChecks.length);
    expect(suite.cases[0]).toMatchObject({ suite: 'driver', target: 'guest:virtio-rng-pci', groups: ['guest:virtio-rng-pci'] });
    expect(suite.cases.every((c) => c.name.startsWith(c.requirements.join(' ')))).toBe(true);
    await suite.close();
  });

  it('turns a missing kernel into a harness error on every case that says how to fetch it', async () => {
    const empty = await mkdtemp(join(scratch, 'cache-'));
    const all = await results('guest:virtio-rng-pci', { boot: { cacheDir: empty } });
    for (const result of all) {
      expect(result.outcome).toBe('error');
      expect(result.outcome === 'error' && result.message).toContain(FETCH_COMMAND);
    }
  });

  withKernel('fault injection: a kernel that panics is a located harness error with the console tail', async () => {
    const all = await results('guest:virtio-rng-pci,disable-legacy=on,append=rdinit=/xvc-no-such-init,timeout=120');
    for (const result of all) {
      expect(result.outcome).toBe('error');
      expect(text(result)).toContain('XVC4023');
      expect(text(result)).toContain('Kernel panic');
    }
  });

  withKernel('fault injection: a guest that hangs is stopped at its timeout and becomes a located harness error', async () => {
    const hang = join(scratch, 'hang.cpio');
    await writeHangingInitramfs(hang, kernel!.busybox!);
    const all = await results(`guest:virtio-rng-pci,disable-legacy=on,kernel=${kernel!.kernel},initrd=${hang},timeout=8`);
    for (const result of all) {
      expect(result.outcome).toBe('error');
      expect(text(result)).toContain('XVC4024');
      expect(text(result)).toContain('xvc-test: hanging');
    }
    expect((await readFile(hang)).length).toBeGreaterThan(0);
    // The hung QEMU was killed with its process group: nothing xvc started is left.
    expect(liveChildCount()).toBe(0);
  });
});
