import { describe, expect, it } from 'vitest';
import { isKnownRequirement, requirementCatalogue } from './requirement-catalogue.ts';

describe('requirementCatalogue', () => {
  it('knows the digest ids and rejects others', () => {
    expect(isKnownRequirement('PCI-DEV-01')).toBe(true);
    expect(isKnownRequirement('PCI-LEG-09')).toBe(true);
    expect(isKnownRequirement('XEN-INV-01')).toBe(true);
    expect(isKnownRequirement('PCI-DEV-99')).toBe(false);
    expect(isKnownRequirement('pci-dev-01')).toBe(false);
  });

  it('carries the YAML fields and a repository-relative source', () => {
    const requirement = requirementCatalogue().get('PCI-DEV-16');
    expect(requirement).toMatchObject({ level: 'MUST', side: 'device', testable: true, suite: 'device', mode: 'live', spec: 'virtio' });
    expect(requirement?.source).toMatch(/^spec\/requirements\/virtio-pci-transport\.yaml:\d+:\d+$/);
    expect(requirement).not.toHaveProperty('at');
  });

  it('returns the same map on every call', () => {
    expect(requirementCatalogue()).toBe(requirementCatalogue());
  });
});
