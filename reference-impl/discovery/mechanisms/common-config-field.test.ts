import { describe, expect, it } from 'vitest';
import { VIRTIO_PCI_COMMON_CFG_SIZE } from '../../../generated/ts/virtio/virtio-pci-common-cfg.ts';
import { deviceOf, publishedScenario } from '../../../test-support/discovery-scenarios.ts';
import { bytesToHex, hexToBytes } from '../hex-bytes.ts';
import { commonConfigField } from './common-config-field.ts';

describe('common-config-field', () => {
  it('appends the field right after the common configuration of a PCI device, which becomes backend-controlled', () => {
    const { scenario } = publishedScenario('common-config-field');
    const net = deviceOf(scenario, 'net');
    const common = hexToBytes(net.commonConfig!)!;
    // backend_domid 3, then the valid bit in the flags word.
    expect([...common.subarray(VIRTIO_PCI_COMMON_CFG_SIZE, VIRTIO_PCI_COMMON_CFG_SIZE + 4)]).toEqual([3, 0, 1, 0]);
    expect(net.backendControlled).toContain('commonConfig');
    expect(commonConfigField.read(scenario, net)).toEqual({ kind: 'domid', domid: 3 });
    expect(deviceOf(scenario, 'blk').commonConfig).toBeUndefined();
  });

  it('reads a structure too short to hold the field as absent, a clear valid bit as absent, reserved bits as malformed', () => {
    const { scenario } = publishedScenario('common-config-field');
    const net = deviceOf(scenario, 'net');
    const common = hexToBytes(net.commonConfig!)!;
    expect(commonConfigField.read(scenario, { ...net, commonConfig: bytesToHex(common.subarray(0, VIRTIO_PCI_COMMON_CFG_SIZE)) })).toEqual({ kind: 'absent' });
    const invalid = common.slice();
    invalid[VIRTIO_PCI_COMMON_CFG_SIZE + 2] = 0;
    expect(commonConfigField.read(scenario, { ...net, commonConfig: bytesToHex(invalid) })).toEqual({ kind: 'absent' });
    const reserved = common.slice();
    reserved[VIRTIO_PCI_COMMON_CFG_SIZE + 3] = 0x80;
    expect(commonConfigField.read(scenario, { ...net, commonConfig: bytesToHex(reserved) })).toMatchObject({ kind: 'malformed' });
    expect(commonConfigField.read(scenario, { ...net, commonConfig: 'xyz' })).toEqual({ kind: 'malformed', reason: 'common configuration is not hex bytes' });
  });
});
