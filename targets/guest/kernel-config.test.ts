import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kernelConfigOption, transitionalDriver } from './kernel-config.ts';

const scratch = await mkdtemp(join(tmpdir(), 'xvc-kconfig-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('kernel configuration', () => {
  it('reads options set, unset and absent', () => {
    const text = 'CONFIG_VIRTIO_PCI=m\n# CONFIG_VIRTIO_PCI_LEGACY is not set\nCONFIG_LOCALVERSION="-x"\n';
    expect(kernelConfigOption(text, 'CONFIG_VIRTIO_PCI')).toBe('m');
    expect(kernelConfigOption(text, 'CONFIG_VIRTIO_PCI_LEGACY')).toBe('n');
    expect(kernelConfigOption(text, 'CONFIG_LOCALVERSION')).toBe('"-x"');
    expect(kernelConfigOption(text, 'CONFIG_VIRTIO')).toBeUndefined();
  });

  it('tells a transitional virtio-pci driver from a modern-only one, and says when it cannot know', async () => {
    const write = async (name: string, text: string): Promise<string> => {
      const path = join(scratch, name);
      await writeFile(path, text);
      return path;
    };
    expect(await transitionalDriver(await write('a', 'CONFIG_VIRTIO_PCI=m\nCONFIG_VIRTIO_PCI_LEGACY=y\n'))).toBe(true);
    expect(await transitionalDriver(await write('b', 'CONFIG_VIRTIO_PCI=y\n# CONFIG_VIRTIO_PCI_LEGACY is not set\n'))).toBe(false);
    expect(await transitionalDriver(await write('c', 'CONFIG_VIRTIO_PCI=y\n'))).toBe(false);
    expect(await transitionalDriver(await write('d', 'CONFIG_NET=y\n'))).toBeUndefined();
    expect(await transitionalDriver(join(scratch, 'missing'))).toBeUndefined();
    expect(await transitionalDriver(undefined)).toBeUndefined();
  });
});
