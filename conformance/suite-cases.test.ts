import { describe, expect, it } from 'vitest';
import { defaultPlan } from './run-plan.ts';
import { adapterSettings, suiteCases, targetsFor } from './suite-cases.ts';

const plan = (targets: string[]) => ({ ...defaultPlan('/repo'), targets, runs: 5 });

describe('targetsFor', () => {
  it('keeps the targets that can play the role, parsed, in plan order', () => {
    const targets = ['reference', 'model:linux-6.5', 'dump:a.txt', 'guest:virtio-net-pci', 'exec:./adapter'];
    expect(targetsFor({ targets }, 'device').map((target) => target.spec)).toEqual(['reference', 'dump:a.txt', 'exec:./adapter']);
    expect(targetsFor({ targets }, 'frontend').map((target) => target.spec)).toEqual(['reference', 'model:linux-6.5', 'exec:./adapter']);
    expect(targetsFor({ targets }, 'driver').map((target) => target.spec)).toEqual(['guest:virtio-net-pci']);
  });
});

describe('adapterSettings', () => {
  it('passes --strict-protocol and the adapter environment only when the plan sets them', () => {
    expect(adapterSettings({})).toEqual({});
    expect(adapterSettings({ strictProtocol: false, adapterEnv: { MODE: 'x' } })).toEqual({ strictProtocol: false, env: { MODE: 'x' } });
  });
});

describe('suiteCases', () => {
  it('builds each suite of the plan with its own engine', async () => {
    for (const suite of ['layouts', 'mechanisms', 'device', 'frontend'] as const) {
      const built = await suiteCases(plan(['reference']), suite);
      try {
        expect(built.cases.length, suite).toBeGreaterThan(0);
        expect(built.cases.every((testCase) => testCase.suite === suite), suite).toBe(true);
      } finally {
        await built.close();
      }
    }
  });

  it("adds each frontend target its own mechanism matrix (cases naming a mechanism) after its properties", async () => {
    const built = await suiteCases(plan(['model:linux-6.5']), 'frontend');
    try {
      const cells = built.cases.map((testCase) => testCase.mechanism !== undefined);
      expect(cells[0]).toBe(false);
      expect(cells).toContain(true);
      expect(cells.lastIndexOf(false)).toBeLessThan(cells.indexOf(true));
      expect(built.cases.every((testCase) => testCase.target === 'model:linux-6.5')).toBe(true);
    } finally {
      await built.close();
    }
  });

  it('has no driver case without a guest target, and no device case for a frontend-only target', async () => {
    const driver = await suiteCases(plan(['reference']), 'driver');
    expect(driver.cases).toEqual([]);
    await driver.close();
    const device = await suiteCases(plan(['model:linux-6.5']), 'device');
    expect(device.cases).toEqual([]);
    await device.close();
  });
});
