import { describe, expect, it } from 'vitest';
import { camelCase, pascalCase } from './names.ts';

describe('names', () => {
  it('turn snake_case spec names into camelCase and PascalCase, digits included', () => {
    expect(camelCase('virtio_pci_cap64')).toBe('virtioPciCap64');
    expect(camelCase('queue_msix_vector')).toBe('queueMsixVector');
    expect(camelCase('reserved_1')).toBe('reserved1');
    expect(pascalCase('grant_entry_v2')).toBe('GrantEntryV2');
    expect(pascalCase('id')).toBe('Id');
  });
});
