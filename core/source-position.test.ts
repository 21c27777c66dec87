import { describe, expect, it } from 'vitest';
import { formatPosition } from './source-position.ts';

describe('source positions', () => {
  it('render as file:line:column, the form editors and CI annotations jump to', () => {
    expect(formatPosition({ file: 'spec/layouts/pci/pci-cap-header.yaml', line: 12, column: 7 })).toBe('spec/layouts/pci/pci-cap-header.yaml:12:7');
  });
});
