import { describe, expect, it } from 'vitest';
import { appendCapability, backendDomidCapability, minimalVirtioConfigSpace, vendorDataCapability } from '../../../reference-impl/discovery/index.ts';
import { claimedDomid, conformantWalk } from './capability-walker.ts';

/** A virtio-net config space holding `capabilities`, in list order. */
function configWith(...capabilities: Uint8Array[]): Uint8Array {
  let config = minimalVirtioConfigSpace(1);
  for (const capability of capabilities) {
    const appended = appendCapability(config, capability);
    if (!appended.ok) throw new Error(JSON.stringify(appended.error));
    config = appended.config;
  }
  return config;
}

/** Offsets of the capabilities on the list, in order (PCI Local Bus 3.0 §6.7: pointer at 0x34, next at +1). */
function listOffsets(config: Uint8Array): number[] {
  const offsets: number[] = [];
  for (let at = config[0x34]! & 0xfc; at !== 0 && offsets.length < 48; at = config[at + 1]! & 0xfc) offsets.push(at);
  return offsets;
}

describe('claimedDomid with every rule kept', () => {
  it('reads the backend domid of the proposed capability and of the XenSource vendor data', () => {
    expect(claimedDomid(configWith(backendDomidCapability(7)), conformantWalk)).toEqual({ kind: 'claims', domid: 7 });
    expect(claimedDomid(configWith(vendorDataCapability(9)), conformantWalk)).toEqual({ kind: 'claims', domid: 9 });
    expect(claimedDomid(minimalVirtioConfigSpace(1), conformantWalk)).toEqual({ kind: 'nothing' });
    expect(claimedDomid(new Uint8Array(0x20), conformantWalk)).toEqual({ kind: 'nothing' });
  });

  it('uses the first of two capabilities of one type on the list, unless that rule is broken', () => {
    const five = backendDomidCapability(5);
    const config = configWith(five, backendDomidCapability(6));
    const [first] = listOffsets(config);
    // Which one the list reaches first: its bytes after the two header bytes.
    const firstIsFive = Buffer.from(config.subarray(first! + 2, first! + five.length)).equals(Buffer.from(five.subarray(2)));
    expect(claimedDomid(config, conformantWalk)).toEqual({ kind: 'claims', domid: firstIsFive ? 5 : 6 });
    expect(claimedDomid(config, { ...conformantWalk, firstOfType: false })).toEqual({ kind: 'claims', domid: firstIsFive ? 6 : 5 });
  });
});

describe('claimedDomid with one rule broken', () => {
  it('walks a list whose Capabilities List status bit is clear only without the status-bit rule (status bit 4, VS13 §4.1.4.1)', () => {
    const config = configWith(backendDomidCapability(7));
    config[0x06]! &= ~0x10;
    expect(claimedDomid(config, conformantWalk)).toEqual({ kind: 'nothing' });
    expect(claimedDomid(config, { ...conformantWalk, statusBit: false })).toEqual({ kind: 'claims', domid: 7 });
  });

  it('ends a looping list after a bounded walk, and reports one that never ends without the bound', () => {
    const config = configWith(backendDomidCapability(7));
    const [only] = listOffsets(config);
    config[only! + 1] = only!;
    expect(claimedDomid(config, conformantWalk)).toEqual({ kind: 'claims', domid: 7 });
    expect(claimedDomid(config, { ...conformantWalk, boundWalk: false })).toEqual({ kind: 'endless' });
  });

  it('masks the reserved low bits of a pointer only with the rule', () => {
    const config = configWith(backendDomidCapability(7));
    config[0x34]! |= 0x2;
    expect(claimedDomid(config, conformantWalk)).toEqual({ kind: 'claims', domid: 7 });
    expect(claimedDomid(config, { ...conformantWalk, maskLowBits: false })).not.toEqual({ kind: 'claims', domid: 7 });
  });

  it('takes a capability whose cap_len exceeds its layout only with the rule, as VS13 allows', () => {
    const config = configWith(backendDomidCapability(7));
    const [only] = listOffsets(config);
    config[only! + 2]! += 4;
    expect(claimedDomid(config, conformantWalk)).toEqual({ kind: 'claims', domid: 7 });
    expect(claimedDomid(config, { ...conformantWalk, acceptLongerCapLen: false })).toEqual({ kind: 'nothing' });
  });
});
