import { describe, expect, it } from 'vitest';
import { deviceOf, discoveryGuest, publishedScenario } from '../../../test-support/discovery-scenarios.ts';
import { BACKEND_DOMID_PARAMETER, bootParameter } from './boot-parameter.ts';

describe('boot-parameter', () => {
  it('puts one parameter on the command line, after the others, for every device', () => {
    const { scenario } = publishedScenario('boot-parameter', discoveryGuest(3, { bootParameters: ['console=hvc0', `${BACKEND_DOMID_PARAMETER}1`] }));
    expect(scenario.guest.bootParameters).toEqual(['console=hvc0', `${BACKEND_DOMID_PARAMETER}3`]);
    expect(bootParameter.read(scenario, deviceOf(scenario, 'net'))).toEqual({ kind: 'domid', domid: 3 });
    expect(bootParameter.read(scenario, deviceOf(scenario, 'blk'))).toEqual({ kind: 'domid', domid: 3 });
  });

  it('lets the last occurrence win, and reads a value that is no domid as malformed', () => {
    const { scenario } = publishedScenario('boot-parameter');
    const withParameters = (bootParameters: string[]) => ({ ...scenario, guest: { ...scenario.guest, bootParameters } });
    const net = deviceOf(scenario, 'net');
    expect(bootParameter.read(withParameters([`${BACKEND_DOMID_PARAMETER}1`, `${BACKEND_DOMID_PARAMETER}2`]), net)).toEqual({ kind: 'domid', domid: 2 });
    expect(bootParameter.read(withParameters([`${BACKEND_DOMID_PARAMETER}two`]), net)).toMatchObject({ kind: 'malformed' });
    expect(bootParameter.read(withParameters(['quiet']), net)).toEqual({ kind: 'absent' });
  });
});
