/** Finds and decodes a backend-domid capability in a device's config space through the PCI walker. */
import type { Decoded } from '../../../core/codec-runtime.ts';
import type { ScenarioDevice } from '../../../generated/ts/schema/scenario.ts';
import { walkCapabilities, type WalkedCapability } from '../../pci/capability-walker.ts';
import { appendCapability } from '../config-space-edit.ts';
import { bytesToHex, hexToBytes } from '../hex-bytes.ts';
import type { DiscoveryReading } from '../mechanism.ts';

/** A decoded capability body that carries a backend domid and a valid bit. */
interface DomidCarrier {
  backendDomid: number;
  valid: boolean;
}

/** Reads the first capability `matches` selects and decodes it with `decode`. */
export function readDomidCapability<T extends DomidCarrier>(
  device: ScenarioDevice,
  matches: (capability: WalkedCapability) => boolean,
  decode: (bytes: Uint8Array, offset: number, end: number) => Decoded<T>,
): DiscoveryReading {
  if (device.transport !== 'pci' || device.configSpace === undefined) return { kind: 'absent' };
  const config = hexToBytes(device.configSpace);
  if (!config) return { kind: 'malformed', reason: 'config space is not hex bytes' };
  const capability = walkCapabilities(config).capabilities.find(matches);
  if (!capability) return { kind: 'absent' };
  const end = Math.min(config.length, capability.offset + (capability.length ?? 0));
  const decoded = decode(config, capability.offset, end);
  if (decoded.issues.length > 0) return { kind: 'malformed', reason: decoded.issues[0]!.message };
  return decoded.value.valid ? { kind: 'domid', domid: decoded.value.backendDomid } : { kind: 'absent' };
}

/** Appends `capability` to the device's config space; leaves the device alone when there is no room. */
export function withCapability(device: ScenarioDevice, capability: Uint8Array): ScenarioDevice {
  if (device.configSpace === undefined) return device;
  const config = hexToBytes(device.configSpace);
  if (!config) return device;
  const appended = appendCapability(config, capability);
  return appended.ok ? { ...device, configSpace: bytesToHex(appended.config) } : device;
}
