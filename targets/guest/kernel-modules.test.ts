import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { commandGate } from '../../test-support/machine-tools.ts';
import { catalogueModules, KernelModuleError, loadOrder, moduleNameOf, readModuleBytes, virtioDriverModules } from './kernel-modules.ts';

const scratch = await mkdtemp(join(tmpdir(), 'xvc-modules-'));
const xz = commandGate('xz', 'install xz-utils');
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('kernel modules from depmod indexes', () => {
  it('reads modules.dep, modules.alias and modules.builtin, orders dependencies first, and maps virtio IDs to drivers', async () => {
    const root = join(scratch, 'indexed');
    await mkdir(root, { recursive: true });
    await writeFile(
      join(root, 'modules.dep'),
      [
        'kernel/drivers/virtio/virtio_pci.ko.xz: kernel/drivers/virtio/virtio_ring.ko.xz kernel/drivers/virtio/virtio.ko.xz kernel/drivers/virtio/virtio_pci_modern_dev.ko.xz',
        'kernel/drivers/virtio/virtio.ko.xz: kernel/drivers/virtio/virtio_ring.ko.xz',
        'kernel/drivers/virtio/virtio_ring.ko.xz:',
        'kernel/drivers/virtio/virtio_pci_modern_dev.ko.xz:',
        'kernel/drivers/net/virtio_net.ko.xz: kernel/drivers/net/net_failover.ko.xz kernel/drivers/virtio/virtio.ko.xz',
        'kernel/drivers/net/net_failover.ko.xz: kernel/net/core/failover.ko.xz',
        'kernel/drivers/char/hw_random/virtio-rng.ko.xz: kernel/drivers/virtio/virtio.ko.xz',
        '',
      ].join('\n'),
    );
    await writeFile(join(root, 'modules.alias'), 'alias virtio:d00000001v* virtio_net\nalias virtio:d00000004v* virtio_rng\nalias pci:v* something_else\n');
    await writeFile(join(root, 'modules.builtin'), 'kernel/net/core/failover.ko\n');
    const catalogue = await catalogueModules(root);
    const order = loadOrder(catalogue, ['virtio_pci']);
    expect(order.order.map((m) => m.name)).toEqual(['virtio_ring', 'virtio', 'virtio_pci_modern_dev', 'virtio_pci']);
    const net = loadOrder(catalogue, ['virtio_net']);
    // failover is built in: nothing to load, nothing missing.
    expect(net.order.map((m) => m.name)).toEqual(['net_failover', 'virtio_ring', 'virtio', 'virtio_net']);
    expect(net.missing).toEqual([]);
    expect(virtioDriverModules(catalogue)).toEqual(
      new Map([
        [1, ['virtio_net']],
        [4, ['virtio_rng']],
      ]),
    );
    expect(loadOrder(catalogue, ['nope']).missing).toEqual(['nope']);
  });

  it('names modules as the kernel does', () => {
    expect(moduleNameOf('/x/virtio-rng.ko.zst')).toBe('virtio_rng');
    expect(moduleNameOf('virtio_net.ko')).toBe('virtio_net');
  });
});

describe('readModuleBytes', () => {
  const payload = new TextEncoder().encode('\x7fELF module bytes');

  it('decompresses gzip with Node', async () => {
    const gz = join(scratch, 'a.ko.gz');
    await writeFile(gz, gzipSync(payload));
    expect(await readModuleBytes(gz)).toEqual(payload);
  });

  it.skipIf(!xz.runs)(xz.title('decompresses xz with the system tool'), async () => {
    xz.require();
    const plain = join(scratch, 'b.ko');
    await writeFile(plain, payload);
    execFileSync('xz', ['-zkf', plain]);
    expect(await readModuleBytes(`${plain}.xz`)).toEqual(payload);
  });

  it('reports damaged data as a KernelModuleError', async () => {
    const bad = join(scratch, 'c.ko.gz');
    await writeFile(bad, payload);
    await expect(readModuleBytes(bad)).rejects.toBeInstanceOf(KernelModuleError);
  });
});
