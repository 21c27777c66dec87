/** dom0-default (Linux's fallback): not a channel at all, the constant "domain 0 runs the backend". */
import { DOMID_INITIAL } from '../../../generated/ts/xen/xen-domid.ts';
import type { MechanismImplementation } from '../mechanism.ts';

/** The mechanism: nothing to publish; every read answers domain 0. */
export const dom0Default: MechanismImplementation = {
  modelled: true,
  publish: (_view, _device, scenario) => scenario,
  read: () => ({ kind: 'domid', domid: DOMID_INITIAL }),
};
