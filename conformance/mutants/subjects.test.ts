import { describe, expect, it } from 'vitest';
import { checkDescription, DeviceModel } from '../../reference-impl/virtio/index.ts';
import { referenceDescriptions } from '../../targets/reference-device.ts';
import { subjectDeclarations, subjects } from './subjects.ts';

describe('the conformant subjects of the mutation suite', () => {
  it("start with the reference target's devices, and every id is its own", () => {
    const ids = subjects().map((subject) => subject.id);
    expect(ids.slice(0, referenceDescriptions().length)).toEqual(referenceDescriptions().map((entry) => entry.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['net-pio', 'iommu-bypass', 'fs-regions']));
  });

  it('are conformant by construction: the reference model builds each one and finds nothing wrong with it', () => {
    for (const subject of subjects()) {
      expect(checkDescription(subject.description), subject.id).toEqual([]);
      expect(() => new DeviceModel(subject.description), subject.id).not.toThrow();
    }
  });

  it('each have the shape they are there for: two shared memory regions, BYPASS_CONFIG, a notify I/O BAR', () => {
    const byId = new Map(subjects().map((subject) => [subject.id, subject.description]));
    expect(byId.get('fs-regions')!.sharedMemory).toHaveLength(2);
    // VIRTIO_IOMMU_F_BYPASS_CONFIG is feature bit 6 (VS13 §5.13.3).
    expect(byId.get('iommu-bypass')!.features & (1n << 6n)).toBe(1n << 6n);
    expect(byId.get('net-pio')!.placement.notifyIoBar).toBe(2);
  });

  it('are declared grant backends, so the grant statements apply to them', () => {
    expect(subjectDeclarations).toMatchObject({ grants: true, iommu: false, specVersions: [] });
  });
});
