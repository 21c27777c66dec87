/**
 * common-config-field (rejected): a new field of virtio_pci_common_cfg. The common configuration
 * lives in a BAR, which scenarios do not carry, and no layout was ever proposed, so xvc does not model
 * the channel: nothing is published and a read finds nothing.
 */
import type { MechanismImplementation } from '../mechanism.ts';

/** The mechanism (not modelled). */
export const commonConfigField: MechanismImplementation = {
  modelled: false,
  publish: (_view, _device, scenario) => scenario,
  read: () => ({ kind: 'absent' }),
};
