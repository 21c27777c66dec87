import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { busyboxGate } from '../../test-support/machine-tools.ts';
import { cachedGuestKernel, FETCH_COMMAND, guestCacheDir, GuestKernelMissingError, kernelPackageOf, resolveGuestKernel } from './guest-kernel.ts';

const scratch = await mkdtemp(join(tmpdir(), 'xvc-guest-kernel-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** A static busybox to put in a test cache: the machine's, or the one of the real guest cache. */
const busybox = await busyboxGate();

describe('guest kernel cache', () => {
  it('is XVC_GUEST_CACHE, else under XDG_CACHE_HOME, else ~/.cache', () => {
    expect(guestCacheDir({ XVC_GUEST_CACHE: '/c' })).toBe('/c');
    expect(guestCacheDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/xvc/guest');
    expect(guestCacheDir({})).toMatch(/\.cache\/xvc\/guest$/);
  });

  it.skipIf(!busybox.runs)(busybox.title('finds the newest unpacked kernel, its modules and configuration, and a static busybox'), async () => {
    busybox.require();
    const cache = join(scratch, 'filled');
    const root = join(cache, 'kernel', 'root');
    await mkdir(join(root, 'boot'), { recursive: true });
    for (const release of ['6.1.0-9-cloud-amd64', '6.1.0-10-cloud-amd64']) {
      await writeFile(join(root, 'boot', `vmlinuz-${release}`), 'kernel');
      await mkdir(join(root, 'lib', 'modules', release), { recursive: true });
    }
    await writeFile(join(root, 'boot', 'config-6.1.0-10-cloud-amd64'), 'CONFIG_VIRTIO_PCI_LEGACY=y\n');
    await mkdir(join(cache, 'busybox', 'root', 'bin'), { recursive: true });
    await copyFile(busybox.binary!, join(cache, 'busybox', 'root', 'bin', 'busybox'));
    const kernel = await cachedGuestKernel(cache);
    expect(kernel).toMatchObject({ release: '6.1.0-10-cloud-amd64', source: 'cache', config: join(root, 'boot', 'config-6.1.0-10-cloud-amd64') });
    expect(kernel?.busybox).toBe(join(cache, 'busybox', 'root', 'bin', 'busybox'));
    expect(await resolveGuestKernel({}, cache)).toEqual(kernel);
  });

  it('says how to fetch the kernel when the cache is empty, and what is wrong with a user choice', async () => {
    const empty = join(scratch, 'empty');
    await expect(resolveGuestKernel({}, empty)).rejects.toThrow(FETCH_COMMAND);
    await expect(resolveGuestKernel({}, empty)).rejects.toBeInstanceOf(GuestKernelMissingError);
    await expect(resolveGuestKernel({ kernel: join(scratch, 'no-such-kernel') }, empty)).rejects.toThrow('kernel=');
    await expect(resolveGuestKernel({ initrd: '/x' }, empty)).rejects.toThrow('need kernel=');
  });

  it('takes a user kernel with a prebuilt initramfs as they are', async () => {
    const kernel = join(scratch, 'vmlinuz-7.0.0-vendor');
    const initrd = join(scratch, 'initrd.img');
    await writeFile(kernel, 'k');
    await writeFile(initrd, 'i');
    expect(await resolveGuestKernel({ kernel, initrd }, join(scratch, 'empty'))).toEqual({ kernel, initrd, source: 'user' });
  });

  it('reads the versioned kernel package from apt-cache depends', () => {
    expect(kernelPackageOf('linux-image-cloud-amd64\n  Depends: linux-image-6.1.0-57-cloud-amd64\n')).toBe('linux-image-6.1.0-57-cloud-amd64');
    expect(kernelPackageOf('linux-image-cloud-amd64\n  Depends: <linux-image-x>\n')).toBeUndefined();
  });
});
