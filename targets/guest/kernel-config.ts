/**
 * What a kernel's build configuration (`/boot/config-RELEASE`) says about its virtio-pci driver. Only
 * one fact matters to the checks: whether the driver is transitional (it can drive the legacy
 * interface, `CONFIG_VIRTIO_PCI_LEGACY`), which decides what it must do with a device that has no
 * virtio capabilities (VS13 §4.1.5.1.1.1).
 */
import { readFile } from 'node:fs/promises';

/** Largest configuration file read (real ones are about 250 KiB). */
const MAX_CONFIG_BYTES = 8 << 20;

/** The value of `option` in a kernel configuration text: `y`, `m`, a string, or `n` for "is not set"; undefined when absent. */
export function kernelConfigOption(text: string, option: string): string | undefined {
  for (const line of text.split('\n')) {
    if (line === `# ${option} is not set`) return 'n';
    if (line.startsWith(`${option}=`)) return line.slice(option.length + 1);
  }
  return undefined;
}

/** Whether the virtio-pci driver of the kernel whose configuration is at `path` is transitional; undefined when unknown. */
export async function transitionalDriver(path: string | undefined): Promise<boolean | undefined> {
  if (path === undefined) return undefined;
  let text: string;
  try {
    const bytes = await readFile(path);
    if (bytes.length > MAX_CONFIG_BYTES) return undefined;
    text = bytes.toString('utf8');
  } catch {
    return undefined;
  }
  const legacy = kernelConfigOption(text, 'CONFIG_VIRTIO_PCI_LEGACY');
  if (legacy === undefined) return kernelConfigOption(text, 'CONFIG_VIRTIO_PCI') === undefined ? undefined : false;
  return legacy === 'y';
}
