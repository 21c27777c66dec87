import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeInitramfsNewcHeader, INITRAMFS_NEWC_HEADER_SIZE } from '../../generated/ts/linux/initramfs-newc-header.ts';
import { initramfsFor } from './initramfs.ts';
import { INITRAMFS_LAYOUT } from './init-script.ts';

const scratch = await mkdtemp(join(tmpdir(), 'xvc-initramfs-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** Name → content of every entry (independent walk of the newc format). */
function entries(archive: Uint8Array): Map<string, string> {
  const text = new TextDecoder('latin1');
  const found = new Map<string, string>();
  const align = (n: number): number => (n + 3) & ~3;
  for (let at = 0; at < archive.length; ) {
    const header = decodeInitramfsNewcHeader(archive, at).value;
    const nameSize = Number.parseInt(text.decode(header.namesize), 16);
    const size = Number.parseInt(text.decode(header.filesize), 16);
    const name = text.decode(archive.subarray(at + INITRAMFS_NEWC_HEADER_SIZE, at + INITRAMFS_NEWC_HEADER_SIZE + nameSize - 1));
    const data = align(at + INITRAMFS_NEWC_HEADER_SIZE + nameSize);
    if (name === 'TRAILER!!!') break;
    found.set(name, text.decode(archive.subarray(data, data + size)));
    at = align(data + size);
  }
  return found;
}

describe('initramfsFor', () => {
  it('packs busybox, the init, the transport and every virtio driver with dependencies, and the load tables; then reuses it', async () => {
    const modules = join(scratch, 'lib', 'modules', '1.0');
    await mkdir(join(modules, 'kernel'), { recursive: true });
    const files: Record<string, string> = { virtio: 'V', virtio_ring: 'R', virtio_pci: 'P', 'virtio-rng': 'G', scsi_mod: 'S', virtio_scsi: 'C', unrelated: 'U' };
    for (const [name, content] of Object.entries(files)) await writeFile(join(modules, 'kernel', `${name}.ko`), content);
    await writeFile(
      join(modules, 'modules.dep'),
      'kernel/virtio_pci.ko: kernel/virtio.ko kernel/virtio_ring.ko\nkernel/virtio.ko: kernel/virtio_ring.ko\nkernel/virtio_ring.ko:\nkernel/virtio-rng.ko: kernel/virtio.ko\nkernel/virtio_scsi.ko: kernel/scsi_mod.ko kernel/virtio.ko\nkernel/scsi_mod.ko:\nkernel/unrelated.ko:\n',
    );
    await writeFile(join(modules, 'modules.alias'), 'alias virtio:d00000004v* virtio_rng\nalias virtio:d00000008v* virtio_scsi\n');
    const busybox = join(scratch, 'busybox');
    await writeFile(busybox, 'BUSYBOX');
    const kernel = { kernel: '/k', modulesDir: modules, busybox, source: 'user' as const };
    const built = await initramfsFor(kernel, { cacheDir: scratch });
    expect(built.fresh).toBe(true);
    expect(built.core).toEqual(['virtio_ring', 'virtio', 'virtio_pci']);
    const inside = entries(new Uint8Array(await readFile(built.path)));
    expect(inside.get('bin/busybox')).toBe('BUSYBOX');
    expect(inside.get('init')).toContain('xvc-guest');
    expect(inside.get(INITRAMFS_LAYOUT.core)).toBe('virtio_ring\nvirtio\nvirtio_pci\n');
    expect(inside.get(`${INITRAMFS_LAYOUT.drivers}/4`)).toBe('virtio_ring\nvirtio\nvirtio_rng\n');
    expect(inside.get(`${INITRAMFS_LAYOUT.drivers}/8`)).toBe('scsi_mod\nvirtio_ring\nvirtio\nvirtio_scsi\n');
    expect(inside.get(`${INITRAMFS_LAYOUT.modules}/virtio_rng.ko`)).toBe('G');
    expect(inside.has(`${INITRAMFS_LAYOUT.modules}/unrelated.ko`)).toBe(false);
    expect(inside.has('dev/console')).toBe(true);
    const again = await initramfsFor(kernel, { cacheDir: scratch });
    expect(again.path).toBe(built.path);
  });

  it('refuses to wrap a user initramfs', async () => {
    await expect(initramfsFor({ kernel: '/k', initrd: '/i', source: 'user' }, { cacheDir: scratch })).rejects.toThrow('busybox');
  });
});
