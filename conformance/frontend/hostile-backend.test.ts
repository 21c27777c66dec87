import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mechanisms } from '../../generated/ts/mechanisms.ts';
import { discoveryMechanisms } from '../../reference-impl/discovery/index.ts';
import { walkCapabilities } from '../../reference-impl/pci/index.ts';
import { buildScenario } from '../../reference-impl/xen/index.ts';
import { discoveryGuest } from '../../test-support/discovery-scenarios.ts';
import { propertyParameters } from '../../test-support/fast-check-seed.ts';
import { applyHostileBackend, backendWrittenMechanisms, hostileBackendArbitrary, randomConfigSpace, seededBytes, type HostileDeviceBytes } from './hostile-backend.ts';

/** xorshift32 (Marsaglia 2003: shifts 13, 17, 5), little-endian bytes of each state: the definition, written again. */
function xorshiftBytes(seed: number, length: number): number[] {
  let x = seed >>> 0 || 0x9e3779b9;
  const out: number[] = [];
  while (out.length < length) {
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    for (let lane = 0; lane < 4 && out.length < length; lane++) out.push((x >>> (8 * lane)) & 0xff);
  }
  return out;
}

function platform() {
  const built = buildScenario(discoveryGuest(3));
  if (!built.ok) throw new Error(JSON.stringify(built.problems));
  return built;
}

const plain = (overrides: Partial<HostileDeviceBytes> = {}): HostileDeviceBytes => ({ features: 0x3_0000_0000n, publications: [], deviceConfig: Uint8Array.of(1, 2, 3), ...overrides });

describe('the mechanisms a hostile backend writes', () => {
  it('are those spec/mechanisms.yaml gives to the backend as writer, that xvc models', () => {
    const written = mechanisms.filter((mechanism) => mechanism.writer === 'backend').map((mechanism) => mechanism.id);
    expect(written.length).toBeGreaterThan(0);
    expect(backendWrittenMechanisms.map((mechanism) => mechanism.id).sort()).toEqual(written.filter((id) => discoveryMechanisms[id].modelled).sort());
  });
});

describe('seeded bytes and random config spaces', () => {
  it('are xorshift32 bytes of the seed, the same every time', () => {
    fc.assert(
      fc.property(fc.integer(), fc.nat(300), (seed, length) => {
        expect(Array.from(seededBytes(seed, length))).toEqual(xorshiftBytes(seed, length));
      }),
      propertyParameters(),
    );
    // Seed 0 would stay 0 for ever: it starts from another state.
    expect(seededBytes(0, 16).some((byte) => byte !== 0)).toBe(true);
  });

  it('leave the top 64 bytes free and no vendor capability or capability reaching into them on the list', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const config = randomConfigSpace(seed);
        expect(config.length).toBe(256);
        expect(config.subarray(192).every((byte) => byte === 0)).toBe(true);
        for (const capability of walkCapabilities(config).capabilities) {
          expect(capability.id).not.toBe(0x09);
          expect(capability.offset + Math.max(capability.length ?? 0, 2)).toBeLessThanOrEqual(192);
        }
      }),
      propertyParameters(),
    );
  });
});

describe('applyHostileBackend', () => {
  it("puts the backend's features and device configuration into every device, cycling the backend's list", () => {
    const built = platform();
    const scenario = applyHostileBackend(built, [plain({ features: 0x1_0000_0020n, deviceConfig: Uint8Array.of(0xab) })]);
    expect(scenario.devices.map((device) => [device.deviceFeatures, device.deviceConfig])).toEqual(built.scenario.devices.map(() => ['0x100000020', 'ab']));
    expect(scenario.guest).toEqual(built.scenario.guest);
  });

  it('keeps the vendor and device ID of a PCI device whose config space it randomises', () => {
    const built = platform();
    const index = built.scenario.devices.findIndex((device) => device.transport === 'pci');
    const scenario = applyHostileBackend(built, [plain({ randomConfig: randomConfigSpace(7) })]);
    expect(scenario.devices[index]!.configSpace!.slice(0, 8)).toBe(built.scenario.devices[index]!.configSpace!.slice(0, 8));
    expect(scenario.devices[index]!.configSpace!.slice(8)).not.toBe(built.scenario.devices[index]!.configSpace!.slice(8));
  });

  it('publishes a domid of its choice through each backend-written mechanism, where the mechanism can describe the device', () => {
    const built = platform();
    for (const mechanism of backendWrittenMechanisms) {
      const scenario = applyHostileBackend(built, [plain({ publications: [{ mechanism: mechanism.id, domid: 4242 }] })]);
      for (const device of scenario.devices) {
        const reading = mechanism.read(scenario, device);
        if (reading.kind === 'domid') expect(reading.domid, `${mechanism.id} ${device.id}`).toBe(4242);
      }
      expect(scenario.devices.some((device) => mechanism.read(scenario, device).kind === 'domid'), mechanism.id).toBe(true);
    }
  });

  it('never throws on the backends the generators make, and never changes what the backend does not control', () => {
    const built = platform();
    fc.assert(
      fc.property(hostileBackendArbitrary, (backend) => {
        const scenario = applyHostileBackend(built, backend);
        expect(scenario.guest).toEqual(built.scenario.guest);
        expect(scenario.devices.map((device) => device.id)).toEqual(built.scenario.devices.map((device) => device.id));
        for (const [index, device] of scenario.devices.entries()) expect(device.transport).toBe(built.scenario.devices[index]!.transport);
      }),
      propertyParameters({ numRuns: 50 }),
    );
  });
});
