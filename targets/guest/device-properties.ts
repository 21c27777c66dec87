/**
 * The properties a QEMU device type has (`-device TYPE,help`), read once per binary and type: the
 * guest target sets some properties only where the type has them (not every virtio-pci type has
 * `ioeventfd`).
 */
import { execFile } from 'node:child_process';

const HELP_TIMEOUT_MS = 15_000;
/** `  name=<type>  - description` lines of `-device TYPE,help`. */
const PROPERTY_LINE = /^\s+([A-Za-z0-9_.-]+)=</;
const known = new Map<string, Promise<ReadonlySet<string>>>();

/** Property names of device type `type` in the QEMU at `binary`; empty when QEMU does not answer. */
export function qemuDeviceProperties(binary: string, type: string): Promise<ReadonlySet<string>> {
  const key = `${binary}\u0000${type}`;
  let properties = known.get(key);
  if (!properties) {
    properties = new Promise((resolve) => {
      execFile(binary, ['-machine', 'none', '-device', `${type},help`], { timeout: HELP_TIMEOUT_MS, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
        if (error) return resolve(new Set());
        resolve(parseDeviceProperties(`${stdout}\n${stderr}`));
      });
    });
    known.set(key, properties);
  }
  return properties;
}

/** The property names in `-device TYPE,help` output. */
export function parseDeviceProperties(help: string): Set<string> {
  const names = new Set<string>();
  for (const line of help.split('\n')) {
    const match = PROPERTY_LINE.exec(line);
    if (match) names.add(match[1]!);
  }
  return names;
}
