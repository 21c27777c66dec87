import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The configuration as a fresh import reads it, with XVC_DEVICE_TARGETS as given. */
async function configWith(targets: string | undefined) {
  if (targets === undefined) vi.stubEnv('XVC_DEVICE_TARGETS', undefined as unknown as string);
  else vi.stubEnv('XVC_DEVICE_TARGETS', targets);
  vi.resetModules();
  const { default: config } = await import('./device.vitest.config.ts');
  return config as { test: { root: string; include: string[]; provide: { xvcRun: { targets: string[]; suites: string[]; repoRoot: string } } } };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('the device suite on its own', () => {
  it('runs only suites/device.suite.ts, from the repository root, as the device suite of a plan', async () => {
    const config = await configWith(undefined);
    expect(config.test.include).toEqual(['suites/device.suite.ts']);
    expect(config.test.root).toBe(root);
    expect(config.test.provide.xvcRun).toMatchObject({ suites: ['device'], repoRoot: root, targets: ['reference'] });
  });

  it("takes its targets from XVC_DEVICE_TARGETS, split at ';' because qemu: specs hold commas", async () => {
    const config = await configWith(' reference;dump:fixtures/dumps/qemu-7.2 ;; qemu:virtio-net-pci,disable-legacy=on@pcie ');
    expect(config.test.provide.xvcRun.targets).toEqual(['reference', 'dump:fixtures/dumps/qemu-7.2', 'qemu:virtio-net-pci,disable-legacy=on@pcie']);
  });
});
