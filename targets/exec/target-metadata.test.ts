import { describe, expect, it } from 'vitest';
import type { StartResult } from './protocol-messages.ts';
import { execMetadata } from './target-metadata.ts';

function started(overrides: Partial<StartResult> = {}): StartResult {
  return {
    protocol: 'xvc-adapter/1',
    role: 'frontend',
    implementation: { name: 'acme-frontend', version: '2.1', language: 'C' },
    specVersions: ['1.2', '1.3'],
    mechanisms: ['xenstore', 'dt-iommus'],
    ...overrides,
  } as StartResult;
}

describe('execMetadata', () => {
  it('records who the adapter says it is, how it was started, and what it reads', () => {
    expect(execMetadata('exec:./acme --fast', ['./acme', '--fast'], 'frontend', started())).toEqual({
      spec: 'exec:./acme --fast',
      kind: 'exec',
      role: 'frontend',
      implementation: 'acme-frontend',
      version: '2.1',
      capturedBy: 'exec adapter speaking xvc-adapter/1',
      commandLine: ['./acme', '--fast'],
      description: 'written in C; spec versions 1.2, 1.3; mechanisms xenstore, dt-iommus',
      mechanisms: ['xenstore', 'dt-iommus'],
    });
  });

  it('names a homepage, leaves out empty lists, and gives a device no mechanisms', () => {
    const metadata = execMetadata('exec:./dev', ['./dev'], 'device', started({ role: 'device', implementation: { name: 'dev', version: '1', language: 'Rust', homepage: 'https://example.org' }, specVersions: [], mechanisms: [] }));
    expect(metadata.description).toBe('written in Rust; homepage https://example.org');
    expect(metadata).not.toHaveProperty('mechanisms');
  });

  it('copies the command line, so the caller changing its array changes no recorded result', () => {
    const argv = ['./acme'];
    const metadata = execMetadata('exec:./acme', argv, 'frontend', started());
    argv.push('--changed');
    expect(metadata.commandLine).toEqual(['./acme']);
  });
});
