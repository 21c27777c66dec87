import { describe, expect, it } from 'vitest';
import { deviceOf, netRequesterId, publishedScenario } from '../../../test-support/discovery-scenarios.ts';
import { rootComplexRegister } from './root-complex-register.ts';

describe('root-complex-register', () => {
  it('has the Xen-emulated host bridge answer the selected requester id with its domid', () => {
    const { scenario } = publishedScenario('root-complex-register');
    expect(scenario.channels.rootComplex).toEqual({ emulatedBy: 'hypervisor', table: [{ segment: 0, rid: netRequesterId, domid: 3 }] });
    expect(rootComplexRegister.read(scenario, deviceOf(scenario, 'net'))).toEqual({ kind: 'domid', domid: 3 });
    expect(rootComplexRegister.read(scenario, deviceOf(scenario, 'blk'))).toEqual({ kind: 'absent' });
  });

  it('reads an unknown function as absent (valid bit clear), and a bridge another party emulates as no such register', () => {
    const { scenario } = publishedScenario('root-complex-register');
    const net = deviceOf(scenario, 'net');
    const other = { ...scenario, channels: { ...scenario.channels, rootComplex: { emulatedBy: 'hypervisor' as const, table: [{ segment: 0, rid: 0x99, domid: 3 }] } } };
    expect(rootComplexRegister.read(other, net)).toEqual({ kind: 'absent' });
    const byBackend = { ...scenario, channels: { ...scenario.channels, rootComplex: { ...scenario.channels.rootComplex!, emulatedBy: 'backend' as const } } };
    expect(rootComplexRegister.read(byBackend, net)).toEqual({ kind: 'absent' });
  });
});
