/** Who and what a target is, recorded in every result (provenance). */
export interface TargetMetadata {
  /** Target spec as the user wrote it: `reference`, `model:linux-2026`, `dump:x.txt`, `qemu:virtio-net-pci`, `exec:...`. */
  spec: string;
  kind: 'reference' | 'model' | 'dump' | 'qemu' | 'exec';
  role: 'device' | 'frontend';
  /** Implementation name and version as the target reports them. */
  implementation: string;
  version?: string;
  /** How the data was obtained: capture tool, QEMU command line, adapter command, ... */
  capturedBy?: string;
  commandLine?: string[];
  /** Free-form description (untrusted: may come from a dump or an adapter; render as text only). */
  description?: string;
}
