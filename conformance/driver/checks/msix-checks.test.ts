import { describe, expect, it } from 'vitest';
import { VIRTIO_MSI_NO_VECTOR } from '../../../generated/ts/virtio/virtio-pci-constants.ts';
import { checkInput, conformantInit, conformantTrace, modernDevice, TraceBuilder } from '../../../test-support/driver-trace-builder.ts';
import { checkAnyTableSize, checkNoIsrReadWithMsix, checkVectorsInTable, checkVectorsReadBack } from './msix-checks.ts';

describe('MSI-X checks', () => {
  const good = checkInput(conformantTrace());

  it('pass a conformant vector setup', () => {
    expect(checkVectorsInTable(good).outcome).toBe('pass');
    expect(checkVectorsReadBack(good).outcome).toBe('pass');
    expect(checkAnyTableSize(good)).toMatchObject({ outcome: 'pass', note: expect.stringContaining('Table Size 2') });
    expect(checkNoIsrReadWithMsix(good).outcome).toBe('pass');
  });

  it('fail a vector past the table (Table Size 2: entries 0 to 2)', () => {
    const b = conformantInit(new TraceBuilder());
    b.common('write', 'queueSelect', 0).common('write', 'queueMsixVector', 3).common('read', 'queueMsixVector', 3);
    expect(checkVectorsInTable(checkInput(b.build()))).toMatchObject({ outcome: 'violation', message: expect.stringContaining('3 entries') });
    const unmap = conformantInit(new TraceBuilder());
    unmap.common('write', 'queueMsixVector', VIRTIO_MSI_NO_VECTOR);
    expect(checkVectorsInTable(checkInput(unmap.build())).outcome).toBe('pass');
  });

  it('fail a mapping not read back before the next one, also when the queue changed in between', () => {
    const b = new TraceBuilder();
    b.common('write', 'queueSelect', 0).common('write', 'queueMsixVector', 1).common('write', 'queueSelect', 1).common('read', 'queueMsixVector', 1).common('write', 'queueMsixVector', 2);
    const finding = checkVectorsReadBack(checkInput(b.build()));
    expect(finding).toMatchObject({ outcome: 'violation', at: [1] });
  });

  it('fail a driver that did not reach DRIVER_OK with the table it had', () => {
    const b = new TraceBuilder(modernDevice({ msix: undefined }));
    b.common('write', 'deviceStatus', 0).common('write', 'deviceStatus', 1).common('write', 'deviceStatus', 3);
    expect(checkAnyTableSize(checkInput(b.build()))).toMatchObject({ outcome: 'violation', message: expect.stringContaining('no MSI-X') });
    b.common('write', 'deviceStatus', 0x83);
    expect(checkAnyTableSize(checkInput(b.build())).outcome).toBe('inapplicable');
  });

  it('fails an ISR read that answers an interrupt while MSI-X is enabled, not a flush read or one while MSI-X is off', () => {
    const handler = conformantInit(new TraceBuilder());
    handler.interrupt(0x27).isr(1);
    expect(checkNoIsrReadWithMsix(checkInput(handler.build())).outcome).toBe('violation');
    const flush = conformantInit(new TraceBuilder());
    flush.common('write', 'queueMsixVector', VIRTIO_MSI_NO_VECTOR).isr(0);
    expect(checkNoIsrReadWithMsix(checkInput(flush.build())).outcome).toBe('pass');
    const off = conformantInit(new TraceBuilder());
    off.msixEnable(false).interrupt(0x27).isr(1);
    expect(checkNoIsrReadWithMsix(checkInput(off.build())).outcome).toBe('pass');
  });
});
