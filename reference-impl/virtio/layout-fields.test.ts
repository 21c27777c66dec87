import { describe, expect, it } from 'vitest';
import { virtioPciCommonCfgLayout } from '../../generated/ts/virtio/virtio-pci-common-cfg.ts';
import { fieldMaxValue, layoutField } from './layout-fields.ts';

describe('layout field lookups', () => {
  it('finds a field by name and gives the largest value its width holds (digest §1.5 widths)', () => {
    expect(layoutField(virtioPciCommonCfgLayout, 'deviceStatus').offset).toBe(20);
    expect(fieldMaxValue(layoutField(virtioPciCommonCfgLayout, 'deviceStatus'))).toBe(0xff);
    expect(fieldMaxValue(layoutField(virtioPciCommonCfgLayout, 'queueSize'))).toBe(0xffff);
    expect(fieldMaxValue(layoutField(virtioPciCommonCfgLayout, 'deviceFeature'))).toBe(0xffff_ffff);
  });

  it('throws for a name the layout does not have', () => {
    expect(() => layoutField(virtioPciCommonCfgLayout, 'noSuchField')).toThrow(/noSuchField/);
  });
});
