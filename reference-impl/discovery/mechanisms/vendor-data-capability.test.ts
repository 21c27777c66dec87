import { describe, expect, it } from 'vitest';
import { XEN_VNDR_DATA_VENDOR_ID } from '../../../generated/ts/proposals/xen-domid-proposals.ts';
import { decodeXenVndrDataBackendDomid } from '../../../generated/ts/proposals/xen-vndr-data-backend-domid.ts';
import { deviceOf, publishedScenario } from '../../../test-support/discovery-scenarios.ts';
import { vendorDataCapability, vendorDataCapabilityMechanism } from './vendor-data-capability.ts';

describe('vendor-data-capability', () => {
  it('is a vendor-specific capability of cfg_type 9 and Xen vendor id carrying the domid', () => {
    const bytes = vendorDataCapability(0x1234);
    expect([bytes[0], bytes[2], bytes[3]]).toEqual([0x09, bytes.length, 9]);
    const decoded = decodeXenVndrDataBackendDomid(bytes);
    expect(decoded.issues).toEqual([]);
    expect(decoded.value).toMatchObject({ vendorId: XEN_VNDR_DATA_VENDOR_ID, backendDomid: 0x1234, valid: true });
  });

  it('is added to the config space of a PCI device and read back; an MMIO device has none', () => {
    const { scenario } = publishedScenario('vendor-data-capability');
    expect(vendorDataCapabilityMechanism.read(scenario, deviceOf(scenario, 'net'))).toEqual({ kind: 'domid', domid: 3 });
    expect(vendorDataCapabilityMechanism.read(scenario, deviceOf(scenario, 'blk'))).toEqual({ kind: 'absent' });
  });

  it('is whatever a hostile backend writes', () => {
    const { scenario } = publishedScenario('vendor-data-capability', undefined, { kind: 'hostile', domid: 0 });
    expect(vendorDataCapabilityMechanism.read(scenario, deviceOf(scenario, 'net'))).toEqual({ kind: 'domid', domid: 0 });
  });
});
