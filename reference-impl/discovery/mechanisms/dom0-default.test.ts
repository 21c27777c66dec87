import { describe, expect, it } from 'vitest';
import { DOMID_INITIAL } from '../../../generated/ts/xen/xen-domid.ts';
import { deviceOf, publishedScenario } from '../../../test-support/discovery-scenarios.ts';
import { dom0Default } from './dom0-default.ts';

describe('dom0-default', () => {
  it('publishes nothing and answers the initial domain for every device, whoever runs its backend', () => {
    const { scenario, view } = publishedScenario('xenstore');
    expect(dom0Default.publish(view, view.devices[0]!, scenario)).toBe(scenario);
    expect(DOMID_INITIAL).toBe(0);
    expect(dom0Default.read(scenario, deviceOf(scenario, 'net'))).toEqual({ kind: 'domid', domid: 0 });
    expect(dom0Default.read(scenario, deviceOf(scenario, 'blk'))).toEqual({ kind: 'domid', domid: 0 });
  });
});
