/**
 * Feature negotiation (VS13 §2.2.1, §6.1): only offered features accepted, no reserved or undefined
 * bit accepted, VERSION_1 accepted when offered, ACCESS_PLATFORM accepted when offered.
 */
import {
  VIRTIO_F_ALLOCATED_END,
  VIRTIO_F_FUTURE_RESERVED_END,
  VIRTIO_F_FUTURE_RESERVED_START,
  VIRTIO_FEATURE_WINDOW_BITS,
  VIRTIO_TRANSPORT_F_END,
  VirtioFeaturesBits,
} from '../../../generated/ts/virtio/virtio-core.ts';
import { acceptedBefore, activeEpochs, featureBit, type Epoch } from '../driver-session.ts';
import { firstViolation, hex, passed, violation, type DriverCheckInput, type DriverFinding } from '../driver-finding.ts';

function bitsOf(value: number, window: number): number[] {
  const bits: number[] = [];
  for (let bit = 0; bit < VIRTIO_FEATURE_WINDOW_BITS; bit++) if (((value >>> bit) & 1) === 1) bits.push(window * VIRTIO_FEATURE_WINDOW_BITS + bit);
  return bits;
}

const namedBits = new Set<number>(Object.values(VirtioFeaturesBits));
/** First bit of the device-independent range: the lowest bit the spec names there. */
const TRANSPORT_START = Math.min(...namedBits);

/**
 * Why accepting `bit` is never right, or undefined: it lies in a range every version reserves for the
 * future, or in the device-independent range without a definition, or it is the bit the spec keeps
 * unused (30).
 */
export function reservedBitReason(bit: number): string | undefined {
  if (bit >= VIRTIO_F_ALLOCATED_END) return `bit ${bit} is reserved for future extensions (${VIRTIO_F_ALLOCATED_END} and up)`;
  if (bit >= VIRTIO_F_FUTURE_RESERVED_START && bit < VIRTIO_F_FUTURE_RESERVED_END) return `bit ${bit} is reserved for future extensions (${VIRTIO_F_FUTURE_RESERVED_START}..${VIRTIO_F_FUTURE_RESERVED_END - 1})`;
  if (bit >= TRANSPORT_START && bit < VIRTIO_TRANSPORT_F_END && !namedBits.has(bit)) return `bit ${bit} is in the device-independent range and defined by no version`;
  if (bit === VirtioFeaturesBits.UNUSED_30) return `bit ${bit} is the unused bit no driver negotiates`;
  return undefined;
}

function bitList(bits: readonly number[]): string {
  return bits.join(', ');
}

/** VIRTIO-DRV-03: every accepted bit was offered (in the window the driver read in the same initialisation). */
export function checkOnlyOfferedAccepted({ session }: DriverCheckInput): DriverFinding {
  const findings: DriverFinding[] = [];
  for (const epoch of activeEpochs(session)) {
    for (const write of epoch.featureWrites) {
      const window = write.window ?? 0;
      const value = write.access.value;
      const offered = [...epoch.offered.entries()].filter(([w, read]) => w === window && read.at < write.access.index).map(([, read]) => read)[0];
      if (offered === undefined) {
        findings.push(value === 0 ? passed() : violation(`accepted ${hex(value)} in feature window ${window} (bits ${bitList(bitsOf(value, window))}) without reading what the device offers there`, [write.access.index]));
        continue;
      }
      const extra = value & ~offered.value;
      findings.push(extra === 0 ? passed() : violation(`accepted bit(s) ${bitList(bitsOf(extra >>> 0, window))} that the device does not offer (offered ${hex(offered.value)}, accepted ${hex(value)} in window ${window})`, [offered.at, write.access.index]));
    }
  }
  return firstViolation(findings, 'the driver accepted no features');
}

/** VIRTIO-DRV-04: no reserved or undefined bit accepted. */
export function checkNoReservedAccepted({ session }: DriverCheckInput): DriverFinding {
  const findings: DriverFinding[] = [];
  for (const epoch of activeEpochs(session)) {
    for (const write of epoch.featureWrites) {
      const reasons = bitsOf(write.access.value, write.window ?? 0)
        .map(reservedBitReason)
        .filter((reason): reason is string => reason !== undefined);
      findings.push(reasons.length === 0 ? passed() : violation(`accepted ${reasons.join('; ')}`, [write.access.index]));
    }
  }
  return firstViolation(findings, 'the driver accepted no features');
}

function acceptsWhenOffered(epochs: readonly Epoch[], bit: number, name: string): DriverFinding {
  const findings: DriverFinding[] = [];
  for (const epoch of epochs) {
    const closeAt = epoch.featuresOkAt ?? epoch.driverOkAt;
    if (closeAt === undefined) continue;
    const offered = featureBit(epoch.offered, bit);
    if (offered !== true) continue;
    const accepted = featureBit(acceptedBefore(epoch, closeAt), bit) === true;
    const readAt = epoch.offered.get(Math.floor(bit / VIRTIO_FEATURE_WINDOW_BITS))!.at;
    findings.push(accepted ? passed() : violation(`the device offers ${name} (bit ${bit}) and the driver did not accept it`, [readAt, closeAt]));
  }
  return firstViolation(findings, `the device never offered ${name} to a driver that finished negotiating`);
}

/** VIRTIO-DRV-12: VERSION_1 accepted whenever offered. */
export function checkAcceptsVersion1({ session }: DriverCheckInput): DriverFinding {
  return acceptsWhenOffered(activeEpochs(session), VirtioFeaturesBits.VERSION_1, 'VERSION_1');
}

/** VIRTIO-DRV-13: ACCESS_PLATFORM accepted when offered (a SHOULD: a miss is a warning). */
export function checkAcceptsAccessPlatform({ session }: DriverCheckInput): DriverFinding {
  return acceptsWhenOffered(activeEpochs(session), VirtioFeaturesBits.ACCESS_PLATFORM, 'ACCESS_PLATFORM');
}

