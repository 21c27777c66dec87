/**
 * The virtio-core feature rule every grant-using frontend applies (Linux virtio_features_ok): a device
 * used with grants must offer VERSION_1 and ACCESS_PLATFORM, else the probe fails with -ENODEV.
 */
import { VirtioFeatures } from '../../generated/ts/virtio/virtio-core.ts';

/** Parses the scenario's 0x-prefixed hex feature word; undefined when it is not one. */
export function parseFeatures(text: string): bigint | undefined {
  if (!/^0x[0-9a-fA-F]{1,16}$/.test(text)) return undefined;
  return BigInt(text);
}

/** Names of the features a grant-using device lacks, in the order Linux checks them. */
export function missingGrantFeatures(features: bigint): ('VERSION_1' | 'ACCESS_PLATFORM')[] {
  const missing: ('VERSION_1' | 'ACCESS_PLATFORM')[] = [];
  if ((features & VirtioFeatures.VERSION_1) === 0n) missing.push('VERSION_1');
  if ((features & VirtioFeatures.ACCESS_PLATFORM) === 0n) missing.push('ACCESS_PLATFORM');
  return missing;
}
