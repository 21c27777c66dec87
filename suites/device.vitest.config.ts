import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { defaultPlan } from '../conformance/run-plan.ts';

// Runs the device suite on its own, outside `xvc run`:
//   npx vitest run --config suites/device.vitest.config.ts
// Targets come from XVC_DEVICE_TARGETS, separated by ';' because qemu: specs use commas
// (e.g. `reference;dump:fixtures/dumps/qemu-7.2;qemu:virtio-net-pci,disable-legacy=on`),
// default `reference`; the plan reaches the suite the same way `xvc run` passes it (vitest `provide`).
const root = fileURLToPath(new URL('..', import.meta.url));
const targets = (process.env.XVC_DEVICE_TARGETS ?? 'reference').split(';').map((spec) => spec.trim()).filter((spec) => spec !== '');

export default defineConfig({
  test: {
    root,
    include: ['suites/device.suite.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'threads',
    provide: { xvcRun: { ...defaultPlan(root), targets, suites: ['device'] } },
  },
});
