/**
 * Robustness property shared by the example adapters' tests: whatever lines an adapter reads, it
 * answers each with exactly one JSON object on one line and exits cleanly at the end of its input.
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { expect } from 'vitest';
import { trivialScenario } from '../../targets/exec/trivial-scenario.ts';

const commandNames = ['start', 'decide', 'map', 'list-functions', 'config-read', 'config-write', 'bar-read', 'bar-write', 'frobnicate', ''];

const pciDevice = { id: 'pci0', transport: 'pci', bdf: { segment: 0, bus: 0, device: 1, function: 0 }, rootBusBridgeHasParent: true, hostBridgeDtNode: 'pcie', deviceFeatures: '0x300000000', backendControlled: [] };
const fullScenario = {
  ...trivialScenario,
  devices: [...trivialScenario.devices, pciDevice],
  channels: { deviceTree: { iommuNodes: [{ phandle: 1, compatible: ['xen,grant-dma'], iommuCells: 1 }], mmioNodes: [], pciHostBridges: [{ name: 'pcie', iommuMap: [{ ridBase: 8, phandle: 1, domidBase: 5, length: 1 }] }] } },
};

/** A valid scenario with one member deleted or replaced by a random value, at any depth. */
const brokenScenario = fc
  .record({ path: fc.constantFrom('guest', 'guest.kernel', 'guest.kernel.forceGrant', 'guest.arch', 'guest.type', 'guest.domid', 'guest.bootParameters', 'devices', 'devices.1', 'devices.1.transport', 'devices.1.bdf', 'devices.1.bdf.bus', 'devices.1.id', 'devices.1.deviceFeatures', 'channels', 'channels.deviceTree', 'channels.deviceTree.pciHostBridges.0.iommuMap', 'channels.deviceTree.pciHostBridges.0.iommuMap.0.phandle', 'channels.deviceTree.iommuNodes.0.compatible'), value: fc.oneof(fc.constant(null), fc.jsonValue()) })
  .map(({ path, value }) => {
    const copy = JSON.parse(JSON.stringify(fullScenario)) as Record<string, unknown>;
    const keys = path.split('.');
    let node = copy as Record<string, unknown>;
    for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
    if (value === null) delete node[keys.at(-1)!];
    else node[keys.at(-1)!] = value;
    return copy;
  });

/** Requests that look like protocol messages but carry random values where the schema wants structure. */
const nearRequest = fc
  .record(
    {
      seq: fc.oneof({ weight: 6, arbitrary: fc.nat() }, { weight: 1, arbitrary: fc.constantFrom(-1, 1.5, '1', null) }),
      cmd: fc.oneof({ weight: 6, arbitrary: fc.constantFrom('decide', 'map') }, { weight: 2, arbitrary: fc.constantFrom(...commandNames) }, { weight: 1, arbitrary: fc.jsonValue() }),
      scenario: fc.oneof({ weight: 4, arbitrary: brokenScenario }, { weight: 1, arbitrary: fc.jsonValue() }),
      request: fc.jsonValue(),
      function: fc.jsonValue(),
      offset: fc.jsonValue(),
      width: fc.jsonValue(),
    },
    { requiredKeys: ['seq', 'cmd'] },
  )
  .map((request) => JSON.stringify(request));

const line = fc
  .oneof(
    { weight: 4, arbitrary: nearRequest },
    fc.json(),
    fc.string({ unit: 'binary', maxLength: 80 }),
    nearRequest.chain((text) => fc.nat(text.length).map((cut) => text.slice(0, cut))),
  )
  .map((text) => text.replace(/[\r\n]/g, ' '))
  .map((text) => (text.trim() === '' ? '?' : text));

/** Feeds random lines to `argv` and checks one well-formed answer per line and a clean exit. */
export function assertAnswersEveryLine(argv: readonly string[], parameters: fc.Parameters<[string[]]>): void {
  fc.assert(
    fc.property(fc.array(line, { minLength: 1, maxLength: 12 }), (lines) => {
      const run = spawnSync(argv[0]!, argv.slice(1), { input: `${lines.join('\n')}\n`, encoding: 'utf8', timeout: 10_000, env: { PATH: process.env.PATH ?? '' } });
      expect(run.error, run.stderr).toBeUndefined();
      expect(run.status, run.stderr).toBe(0);
      const answers = run.stdout.split('\n').filter((text) => text !== '');
      expect(answers).toHaveLength(lines.length);
      for (const answer of answers) {
        const parsed = JSON.parse(answer) as Record<string, unknown>;
        expect(typeof parsed.seq === 'number' || parsed.seq === null).toBe(true);
        expect(['result', 'error', 'skip'].filter((key) => key in parsed)).toHaveLength(1);
      }
    }),
    parameters,
  );
}
