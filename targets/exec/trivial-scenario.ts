/**
 * The first question `xvc smoke` asks a frontend adapter, and the base of the line-fuzz example: a
 * scenario whose answer is not in doubt, so that a wrong answer can only mean a protocol problem.
 */
import type { Scenario } from '../../generated/ts/schema/scenario.ts';
import { VirtioFeatures } from '../../generated/ts/virtio/virtio-core.ts';

/** A scenario no frontend can get wrong in an interesting way: an x86 HVM domU, one virtio-mmio device, no channels. */
export const trivialScenario: Scenario = {
  guest: { domid: 1, initialDomain: false, type: 'hvm', arch: 'x86', kernel: { xenVirtio: false, forceGrant: false }, bootParameters: [] },
  devices: [{ id: 'smoke-net', transport: 'mmio', deviceFeatures: `0x${(VirtioFeatures.VERSION_1 | VirtioFeatures.ACCESS_PLATFORM).toString(16)}`, backendControlled: [] }],
  channels: {},
};
