/**
 * The guest configuration a Xen toolstack is given (xl.cfg-like) and the toolstack's resolved view
 * of it, which the discovery mechanisms publish from. Kept apart from toolstack.ts so that the
 * mechanisms can depend on the view without depending on the toolstack that calls them.
 */
import type { ScenarioBdf, ScenarioKernel } from '../../generated/ts/schema/scenario.ts';
import { LIBXL_TOOLSTACK_DOMID } from '../../generated/ts/xen/xen-toolstack.ts';
import type { GuestArch, GuestType } from './domain.ts';

/** One `virtio = [ ... ]` entry of xl.cfg, plus the bytes the backend's device model will present. */
export interface XlVirtioDevice {
  /** Stable id, becomes the scenario device id. */
  id: string;
  /** `backend=`: domid of the backend domain (default dom0, the toolstack domain). */
  backend?: number;
  /** `type=`: DT compatible, `virtio,device<N>` with N the virtio device ID in hex. */
  type: string;
  /** `transport=`: mmio upstream; pci as in the Nov-2023 RFC. */
  transport: 'mmio' | 'pci';
  /** `bdf=` (RFC, PCI only). */
  bdf?: ScenarioBdf;
  /** `grant_usage=`; absent means grants iff the backend is not the toolstack domain. */
  grantUsage?: boolean;
  /** Feature bits the backend offers; default VERSION_1 | ACCESS_PLATFORM. */
  deviceFeatures?: bigint;
  /** Config space the backend presents (PCI); default a minimal virtio header. */
  configSpace?: Uint8Array;
  /** Device-specific configuration the backend presents. */
  deviceConfig?: Uint8Array;
}

/** The guest part of the configuration. */
export interface XlGuestConfig {
  domid: number;
  initialDomain?: boolean;
  type: GuestType;
  arch: GuestArch;
  kernel?: ScenarioKernel;
  bootParameters?: string[];
  virtio: XlVirtioDevice[];
}

/** How the toolstack lays out `iommu-map`: one RID per entry, or the RFC's 8 RIDs per slot. */
export type IommuMapLength = 'per-function' | 'rfc-slot';

/** Options of the toolstack run. */
export interface ToolstackOptions {
  /**
   * Mechanism ids (spec/mechanisms.yaml) to publish; default the device tree on Arm (libxl's `iommus`
   * for virtio-mmio, the unmerged RFC's `iommu-map` for virtio-pci) and nothing on x86.
   */
  publish?: string[];
  /** Default 'per-function' (length 1); 'rfc-slot' reproduces the RFC's length 8. */
  iommuMapLength?: IommuMapLength;
  /** `iommu-map-mask` to put on host bridges (entries then use the masked RID); default none. */
  iommuMapMask?: number;
}

/** A device as the toolstack resolved it. */
export interface ToolstackDevice {
  id: string;
  transport: 'mmio' | 'pci';
  bdf?: ScenarioBdf;
  backendDomid: number;
  /** Resolved grant_usage. */
  grantUsage: boolean;
  type: string;
}

/** What the toolstack knows when it publishes: the guest and every resolved device. */
export interface ToolstackView {
  guest: XlGuestConfig;
  devices: ToolstackDevice[];
  iommuMapLength: IommuMapLength;
  iommuMapMask?: number;
}

/** libxl's default: grants iff the backend is not the toolstack domain, unless grant_usage is set. */
export function resolveGrantUsage(device: Pick<XlVirtioDevice, 'backend' | 'grantUsage'>): boolean {
  return device.grantUsage ?? (device.backend ?? LIBXL_TOOLSTACK_DOMID) !== LIBXL_TOOLSTACK_DOMID;
}

/** Resolves the configuration into the toolstack's view. */
export function toolstackView(guest: XlGuestConfig, options: ToolstackOptions = {}): ToolstackView {
  const devices = guest.virtio.map((device) => ({
    id: device.id,
    transport: device.transport,
    ...(device.bdf && { bdf: device.bdf }),
    backendDomid: device.backend ?? LIBXL_TOOLSTACK_DOMID,
    grantUsage: resolveGrantUsage(device),
    type: device.type,
  }));
  return {
    guest,
    devices,
    iommuMapLength: options.iommuMapLength ?? 'per-function',
    ...(options.iommuMapMask !== undefined && { iommuMapMask: options.iommuMapMask }),
  };
}
