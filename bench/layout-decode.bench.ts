/**
 * Decodes the 256-byte config space of a captured virtio-net device (QEMU 7.2, modern) three ways and
 * reports nanoseconds per decode: the generated codecs, a hand-written DataView decoder and a parser
 * Kaitai Struct generates from bench/baselines/virtio-pci-config.ksy. Each way decodes the type-0
 * header and walks the capability list with the same rules, decoding every field of every capability.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { decodePciCapHeader } from '../generated/ts/pci/pci-cap-header.ts';
import { decodePciMsixCap } from '../generated/ts/pci/pci-msix-cap.ts';
import { decodePciType0Header } from '../generated/ts/pci/pci-type0-header.ts';
import { decodeVirtioPciCapability } from '../generated/ts/virtio/virtio-pci-capability.ts';
import type { ConfigSpaceDecode, DecodedCapability } from './baselines/config-space-decode.ts';
import { decodeConfigSpaceByHand } from './baselines/hand-decoder.ts';

const fixtureName = 'net-modern.cfg256.bin';
const fixture = join(import.meta.dirname, '..', 'fixtures', 'dumps', 'qemu-7.2', fixtureName);

/** The captured config space: the shared fixture, or the copy kept beside the baselines. */
export function loadConfigSpace(): Uint8Array {
  return new Uint8Array(readFileSync(fixture));
}

const CAP_LIST = 0x10;
const VENDOR_CAP = 0x09;
const MSIX_CAP = 0x11;
const MAX_CAPS = 48;

/** The generated way: the generated decoders, walked with the shared rules. */
export function decodeConfigSpaceGenerated(bytes: Uint8Array): ConfigSpaceDecode {
  const limit = Math.min(bytes.length, 256);
  const decodedHeader = decodePciType0Header(bytes, 0, limit);
  const header = decodedHeader.value;
  let issues = decodedHeader.issues.length;
  const caps: DecodedCapability[] = [];
  if ((header.status & CAP_LIST) !== 0) {
    let pointer = header.capabilitiesPointer & 0xfc;
    for (let count = 0; pointer >= 0x40 && pointer + 2 <= limit && count < MAX_CAPS; count++) {
      const id = bytes[pointer]!;
      if (id === VENDOR_CAP) {
        const decoded = decodeVirtioPciCapability(bytes, pointer, Math.min(limit, pointer + (bytes[pointer + 2] ?? 0)));
        issues += decoded.issues.length;
        caps.push({ offset: pointer, kind: 'virtio', value: decoded.value });
      } else if (id === MSIX_CAP && pointer + 12 <= limit) {
        const decoded = decodePciMsixCap(bytes, pointer, limit);
        issues += decoded.issues.length;
        caps.push({ offset: pointer, kind: 'msix', value: decoded.value });
      } else {
        const decoded = decodePciCapHeader(bytes, pointer, limit);
        issues += decoded.issues.length;
        caps.push({ offset: pointer, kind: 'other', value: decoded.value });
      }
      pointer = bytes[pointer + 1]! & 0xfc;
    }
  }
  return { header, caps, issues };
}

/** The shape of the Kaitai-generated classes this file reads (the output is untyped JavaScript). */
interface KaitaiCapability {
  capId: number;
  capNext: number;
  body?: Record<string, unknown>;
  next?: KaitaiCapability;
}
interface KaitaiConfig {
  header: Record<string, unknown>;
  firstCap?: KaitaiCapability;
}
type KaitaiStreamClass = new (buffer: Uint8Array | ArrayBuffer) => unknown;

const require = createRequire(import.meta.url);
const KaitaiStream = require('kaitai-struct/KaitaiStream') as KaitaiStreamClass;
const { VirtioPciConfig } = require('./baselines/kaitai/VirtioPciConfig.cjs') as {
  VirtioPciConfig: new (stream: unknown) => KaitaiConfig;
};

/**
 * The Kaitai way: parse with the generated class and walk its lazily parsed `next` instances. The
 * parser reads every field of every structure it is asked for; the walk asks for every capability.
 */
export function decodeConfigSpaceKaitai(bytes: Uint8Array): { config: KaitaiConfig; caps: KaitaiCapability[] } {
  const config = new VirtioPciConfig(new KaitaiStream(bytes));
  const caps: KaitaiCapability[] = [];
  for (let cap = config.firstCap, count = 0; cap !== undefined && count < MAX_CAPS; cap = cap.next, count++) caps.push(cap);
  return { config, caps };
}

/** Kaitai's objects as plain field values in the generated decoders' shape, to check the three agree. */
function kaitaiAsDecode(bytes: Uint8Array): ConfigSpaceDecode {
  const { config, caps } = decodeConfigSpaceKaitai(bytes);
  const plain = (object: Record<string, unknown> | undefined, names: string[]): Record<string, unknown> =>
    Object.fromEntries(names.map((name) => [name, object?.[name]]));
  const headerNames = Object.keys(decodeConfigSpaceGenerated(bytes).header as object);
  let offset = (config.header.capabilitiesPointer as number) & 0xfc;
  const decoded: DecodedCapability[] = caps.map((cap) => {
    const here = offset;
    offset = cap.capNext & 0xfc;
    if (cap.capId === MSIX_CAP) {
      const body = plain(cap.body, ['tableSize', 'controlReserved', 'functionMask', 'enable', 'tableBir', 'tableOffset', 'pbaBir', 'pbaOffset']);
      return { offset: here, kind: 'msix', value: { capId: cap.capId, capNext: cap.capNext, ...body } };
    }
    if (cap.capId !== VENDOR_CAP) return { offset: here, kind: 'other', value: { capId: cap.capId, capNext: cap.capNext } };
    const virtio = cap.body as { capLen: number; cfgType: number; body: Record<string, unknown> & { extra?: Record<string, unknown> } };
    const head = { capVndr: cap.capId, capNext: cap.capNext, capLen: virtio.capLen, cfgType: virtio.cfgType };
    if (virtio.cfgType === 9) {
      return { offset: here, kind: 'virtio', value: { variant: 'virtio_pci_vndr_data', value: { ...head, vendorId: virtio.body.vendorId, data: virtio.body.data } } };
    }
    const generic = { ...head, ...plain(virtio.body, ['bar', 'id', 'padding', 'offset', 'length']) };
    const extra = virtio.body.extra;
    switch (virtio.cfgType) {
      case 2:
        return { offset: here, kind: 'virtio', value: { variant: 'virtio_pci_notify_cap', value: { cap: generic, notifyOffMultiplier: extra?.notifyOffMultiplier } } };
      case 5:
        return { offset: here, kind: 'virtio', value: { variant: 'virtio_pci_cfg_cap', value: { ...generic, pciCfgData: extra?.pciCfgData } } };
      case 8:
        return { offset: here, kind: 'virtio', value: { variant: 'virtio_pci_cap64', value: { cap: generic, offsetHi: extra?.offsetHi, lengthHi: extra?.lengthHi } } };
      default:
        return { offset: here, kind: 'virtio', value: { variant: 'virtio_pci_cap', value: generic } };
    }
  });
  return { header: plain(config.header, headerNames), caps: decoded, issues: 0 };
}

/** Uint8Array views of one buffer and fresh copies compare equal by content. */
function normalise(value: unknown): unknown {
  if (value instanceof Uint8Array) return Array.from(value);
  if (Array.isArray(value)) return value.map(normalise);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, normalise(entry)]));
  }
  return value;
}

/** Throws unless the three decoders agree on every field of the capture (a benchmark of unequal work is void). */
export function assertSameDecode(bytes: Uint8Array): void {
  const generated = normalise(decodeConfigSpaceGenerated(bytes));
  const hand = normalise(decodeConfigSpaceByHand(bytes));
  const kaitai = normalise({ ...kaitaiAsDecode(bytes), issues: (generated as ConfigSpaceDecode).issues });
  if (!isDeepStrictEqual(generated, hand)) {
    throw new Error(`hand-written decode differs from the generated one:\n${JSON.stringify(hand)}\n${JSON.stringify(generated)}`);
  }
  if (!isDeepStrictEqual(generated, kaitai)) {
    throw new Error(`Kaitai decode differs from the generated one:\n${JSON.stringify(kaitai)}\n${JSON.stringify(generated)}`);
  }
}

/** Median of the per-round nanoseconds per call of `decode`, after warm-up. */
export function measure(decode: (bytes: Uint8Array) => unknown, bytes: Uint8Array, rounds = 7, roundMillis = 60): number {
  let sink = 0;
  const consume = (result: unknown): void => {
    sink = (sink + (result === undefined ? 0 : 1)) | 0;
  };
  // Warm-up: long enough for the optimising compiler to settle, and calibrates the round length.
  let iterations = 1000;
  for (;;) {
    const start = process.hrtime.bigint();
    for (let index = 0; index < iterations; index++) consume(decode(bytes));
    const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    if (elapsed >= roundMillis) break;
    iterations *= 2;
  }
  const perCall: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = process.hrtime.bigint();
    for (let index = 0; index < iterations; index++) consume(decode(bytes));
    perCall.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  if (sink === -1) process.stdout.write('');
  perCall.sort((a, b) => a - b);
  return perCall[Math.floor(perCall.length / 2)]!;
}

/** Runs the benchmark: ns per decode for each way and the two ratios the project's goals are stated in. */
export async function run(): Promise<Record<string, number>> {
  const bytes = loadConfigSpace();
  assertSameDecode(bytes);
  // Interleave the ways twice and keep the better median of each, so a noisy neighbour on a shared
  // machine does not decide a ratio alone.
  const ways = {
    generated: decodeConfigSpaceGenerated,
    hand: decodeConfigSpaceByHand,
    kaitai: decodeConfigSpaceKaitai,
  } as const;
  const best: Record<keyof typeof ways, number> = { generated: Infinity, hand: Infinity, kaitai: Infinity };
  for (let pass = 0; pass < 2; pass++) {
    for (const [name, decode] of Object.entries(ways) as [keyof typeof ways, (bytes: Uint8Array) => unknown][]) {
      best[name] = Math.min(best[name], measure(decode, bytes));
    }
  }
  return {
    layoutDecodeGeneratedNs: round(best.generated),
    layoutDecodeHandNs: round(best.hand),
    layoutDecodeKaitaiNs: round(best.kaitai),
    generatedVsHandRatio: round(best.generated / best.hand, 3),
    kaitaiVsGeneratedRatio: round(best.kaitai / best.generated, 3),
  };
}

function round(value: number, digits = 1): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
