/**
 * The generated codecs against real devices: decoding each QEMU 7.2 capture in shared/fixtures gives
 * the values its JSON file lists (those values were read by the capture tool, not by xvc).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodePciType0Header } from '../../generated/ts/pci/pci-type0-header.ts';
import { decodePciMsixCap } from '../../generated/ts/pci/pci-msix-cap.ts';
import { decodeVirtioPciCapability } from '../../generated/ts/virtio/virtio-pci-capability.ts';

const captures = join(import.meta.dirname, '..', '..', 'fixtures', 'dumps', 'qemu-7.2');

interface CaptureCap {
  off: number;
  id: number;
  next: number;
  cap_len?: number;
  cfg_type?: number;
  bar?: number;
  cap_id?: number;
  offset?: number;
  length?: number;
  notify_off_multiplier?: number;
  table_size?: number;
  table_bir?: number;
  table_off?: number;
  pba_bir?: number;
  pba_off?: number;
  enable?: boolean;
}

interface Capture {
  vendor: string;
  device: string;
  command: string;
  status: string;
  revision: number;
  class: string;
  header_type: string;
  subsystem_vendor: string;
  subsystem: string;
  interrupt_pin: number;
  caps: CaptureCap[];
}

const cases = readdirSync(captures).filter((name) => name.endsWith('.json'));

/** Reads a field of a decoded virtio capability whether the variant nests the generic header or not. */
function capField(value: Record<string, unknown>, name: string): unknown {
  if (name in value) return value[name];
  const header = value.cap as Record<string, unknown> | undefined;
  return header?.[name];
}

describe('QEMU 7.2 captures', () => {
  it('are present in the repository (six cases)', () => {
    expect(cases.length).toBe(6);
  });
  it.each(cases)('%s', (name) => {
    const capture = JSON.parse(readFileSync(join(captures, name), 'utf8')) as Capture;
    const bytes = new Uint8Array(readFileSync(join(captures, name.replace('.json', '.cfg256.bin'))));
    const header = decodePciType0Header(bytes);
    expect(header.value.vendorId).toBe(Number.parseInt(capture.vendor, 16));
    expect(header.value.deviceId).toBe(Number.parseInt(capture.device, 16));
    expect(header.value.command).toBe(Number(capture.command));
    expect(header.value.status).toBe(Number(capture.status));
    expect(header.value.revisionId).toBe(capture.revision);
    const classCode = (header.value.baseClass << 16) | (header.value.subClass << 8) | header.value.progIf;
    expect(classCode).toBe(Number.parseInt(capture.class, 16));
    expect(header.value.subsystemVendorId).toBe(Number.parseInt(capture.subsystem_vendor, 16));
    expect(header.value.subsystemId).toBe(Number.parseInt(capture.subsystem, 16));
    expect(header.value.interruptPin).toBe(capture.interrupt_pin);

    for (const cap of capture.caps) {
      if (cap.id === 9) {
        const decoded = decodeVirtioPciCapability(bytes, cap.off);
        const value = decoded.value.value as unknown as Record<string, unknown>;
        expect(capField(value, 'capNext')).toBe(cap.next);
        expect(capField(value, 'capLen')).toBe(cap.cap_len);
        expect(capField(value, 'cfgType')).toBe(cap.cfg_type);
        expect(capField(value, 'bar')).toBe(cap.bar);
        expect(capField(value, 'id')).toBe(cap.cap_id);
        expect(capField(value, 'offset')).toBe(cap.offset);
        expect(capField(value, 'length')).toBe(cap.length);
        if (cap.notify_off_multiplier !== undefined) {
          expect(decoded.value.variant).toBe('virtio_pci_notify_cap');
          expect(capField(value, 'notifyOffMultiplier')).toBe(cap.notify_off_multiplier);
        }
        expect(decoded.issues).toEqual([]);
      } else if (cap.id === 17) {
        const msix = decodePciMsixCap(bytes, cap.off).value;
        // The capture lists the vector count; the register holds count - 1.
        expect(msix.tableSize + 1).toBe(cap.table_size);
        expect(msix.enable).toBe(cap.enable);
        expect(msix.tableBir).toBe(cap.table_bir);
        expect(msix.tableOffset * 8).toBe(cap.table_off);
        expect(msix.pbaBir).toBe(cap.pba_bir);
        expect(msix.pbaOffset * 8).toBe(cap.pba_off);
        expect(msix.capNext).toBe(cap.next);
      }
    }
  });
});
