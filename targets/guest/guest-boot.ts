/**
 * One guest boot: QEMU with the device, the kernel and xvc's initramfs, bounded by a timeout and by
 * the size of its trace, killed with its whole process group, its console and stderr kept (tails),
 * and its trace decoded into a {@link DriverTrace}. Whatever the guest does (panic, hang, flood the
 * trace, print garbage), the boot ends within the timeout and becomes a {@link GuestBoot}.
 */
import type { DiagnosticName } from '../../core/diagnostics.ts';
import type { ChildProcess } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { reapChild, spawnChild } from '../../core/child-processes.ts';
import { TargetError } from '../device-target.ts';
import type { DriverTrace } from '../driver-trace.ts';
import type { TargetMetadata } from '../target-metadata.ts';
import { qemuVersion, resolveQemuBinary } from '../qemu.ts';
import { guestFirmware, guestQemuArguments } from './guest-command-line.ts';
import { qemuDeviceProperties } from './device-properties.ts';
import { resolveGuestKernel, type GuestKernel } from './guest-kernel.ts';
import { GUEST_MARKER_PREFIX, GuestMarkerName } from './guest-markers.ts';
import type { GuestDeviceSpec } from './guest-spec.ts';
import { initramfsFor } from './initramfs.ts';
import { decodeDriverTrace } from './trace-decoder.ts';

/** How a boot ended. */
export type GuestEnding =
  /** The init powered the machine off. */
  | { readonly kind: 'powered-off' }
  /** The kernel panicked (QEMU exits on the reboot that `panic=-1` asks for). */
  | { readonly kind: 'panic' }
  /** xvc's time limit ran out; QEMU was killed. */
  | { readonly kind: 'timeout'; readonly seconds: number }
  /** The trace grew past the limit (a guest in a loop of accesses); QEMU was killed. */
  | { readonly kind: 'trace-limit'; readonly bytes: number }
  /** QEMU exited by itself in another way (refused an option, crashed). */
  | { readonly kind: 'qemu-exit'; readonly exitCode: number | null; readonly signal: string | null }
  /** xvc stopped the boot (the run was interrupted). */
  | { readonly kind: 'aborted' };

/**
 * The catalogue entry (core/diagnostics.ts) of each ending, for the harness error of a boot that
 * ended before its driver could be judged.
 */
export const guestEndingDiagnostic = {
  'powered-off': 'guestPoweredOff',
  panic: 'guestPanic',
  timeout: 'guestTimeout',
  'trace-limit': 'guestTraceLimit',
  'qemu-exit': 'guestQemuExit',
  aborted: 'guestAborted',
} as const satisfies Record<GuestEnding['kind'], DiagnosticName>;

/** What one boot produced. */
export interface GuestBoot {
  readonly spec: GuestDeviceSpec;
  readonly metadata: TargetMetadata;
  readonly kernel: GuestKernel;
  readonly ending: GuestEnding;
  /** The firmware: qboot leaves devices alone; SeaBIOS drives block and SCSI devices before the kernel. */
  readonly firmware: 'qboot' | 'seabios';
  readonly seconds: number;
  /** The last part of the guest console (serial port). */
  readonly console: string;
  /** The last part of QEMU's stderr. */
  readonly stderr: string;
  /** Marker lines (name and detail) as the console showed them. */
  readonly consoleMarkers: readonly { name: string; detail: string }[];
  /** The decoded trace; undefined when QEMU wrote none. */
  readonly trace?: DriverTrace;
}

/** Options of {@link bootGuest}. */
export interface GuestBootOptions {
  qemuPath?: string;
  /** Cache folder of kernels and initramfs images. */
  cacheDir?: string;
  /** Bound on the boot; the spec's `timeout=` wins. Default 120 s. */
  timeoutMs?: number;
  /** Bound on QEMU's trace file. Default 1 GiB. */
  maxTraceBytes?: number;
  /** Copy QEMU's raw trace file here before it is deleted (for debugging a driver). */
  keepTraceFile?: string;
  /** Stops the boot (QEMU is killed); the boot then ends as `aborted`. */
  signal?: AbortSignal;
}

/** Default bound on one boot: a TCG boot takes seconds; this leaves room for a machine shared by parallel boots. */
export const DEFAULT_GUEST_TIMEOUT_MS = 120_000;
const DEFAULT_MAX_TRACE_BYTES = 1 << 30;
const CONSOLE_TAIL = 16 * 1024;
const STDERR_TAIL = 8 * 1024;
const WATCH_INTERVAL_MS = 500;
const PANIC = 'Kernel panic';
const POWER_DOWN = 'reboot: Power down';

/** Keeps the last `limit` characters of a stream of text. */
class TextTail {
  private text = '';
  constructor(private readonly limit: number) {}
  push(chunk: string): void {
    this.text += chunk;
    if (this.text.length > 2 * this.limit) this.text = this.text.slice(-this.limit);
  }
  get value(): string {
    return this.text.slice(-this.limit);
  }
}

/**
 * Where `XVC_GUEST_TRACE_DIR` (when set) keeps the raw QEMU trace of a boot of `spec`: one file per
 * target, named after the spec, so a vendor can read exactly what their driver did.
 */
export function keptTracePath(spec: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dir = env.XVC_GUEST_TRACE_DIR;
  if (!dir) return undefined;
  return join(dir, `${spec.replace(/[^A-Za-z0-9_.=-]+/g, '_').slice(0, 200)}.trace.log`);
}

/** The markers in console text. */
export function consoleMarkers(console: string): { name: string; detail: string }[] {
  const markers: { name: string; detail: string }[] = [];
  for (const line of console.split(/\r?\n|\r/)) {
    const at = line.indexOf(GUEST_MARKER_PREFIX);
    if (at < 0) continue;
    const [name = '', ...rest] = line.slice(at + GUEST_MARKER_PREFIX.length).trim().split(/\s+/);
    markers.push({ name, detail: rest.join(' ') });
  }
  return markers;
}

async function* traceLines(path: string): AsyncGenerator<string> {
  const input = createReadStream(path, { encoding: 'latin1' });
  try {
    yield* createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  } finally {
    input.destroy();
  }
}

/**
 * Boots `spec` once and returns what happened. Throws `TargetError` only when the boot cannot start:
 * `targetUnavailable` (no QEMU, no kernel: the message says how to get it), `targetInput` (the
 * user's kernel, modules or initramfs cannot be used).
 */
export async function bootGuest(spec: GuestDeviceSpec, options: GuestBootOptions = {}): Promise<GuestBoot> {
  const binary = await resolveQemuBinary(options.qemuPath);
  const version = await qemuVersion(binary);
  let kernel: GuestKernel;
  try {
    kernel = await resolveGuestKernel({ ...(spec.kernel !== undefined && { kernel: spec.kernel }), ...(spec.modules !== undefined && { modules: spec.modules }), ...(spec.initrd !== undefined && { initrd: spec.initrd }) }, options.cacheDir);
  } catch (error) {
    throw new TargetError(spec.kernel === undefined ? 'targetUnavailable' : 'targetInput', error instanceof Error ? error.message : String(error));
  }
  let initrd = kernel.initrd;
  if (initrd === undefined) {
    try {
      initrd = (await initramfsFor(kernel, { ...(options.cacheDir !== undefined && { cacheDir: options.cacheDir }) })).path;
    } catch (error) {
      throw new TargetError('targetInput', `cannot build the initramfs for ${kernel.kernel}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const firmware = await guestFirmware(binary);
  const scratch = await mkdtemp(join(tmpdir(), 'xvc-guest-'));
  const traceFile = join(scratch, 'trace.log');
  const hasIoeventfd = (await qemuDeviceProperties(binary, spec.device)).has('ioeventfd');
  const args = guestQemuArguments(spec, { kernel: kernel.kernel, initrd, traceFile, hasIoeventfd, ...(firmware !== undefined && { firmware }) });
  const timeoutMs = spec.timeoutSeconds !== undefined ? spec.timeoutSeconds * 1000 : (options.timeoutMs ?? DEFAULT_GUEST_TIMEOUT_MS);
  const maxTraceBytes = options.maxTraceBytes ?? DEFAULT_MAX_TRACE_BYTES;
  const metadata: TargetMetadata = {
    spec: spec.spec,
    kind: 'guest',
    role: 'driver',
    implementation: `Linux ${kernel.release ?? '(user kernel)'} virtio drivers`,
    version,
    capturedBy: `QEMU trace (${firmware === undefined ? 'SeaBIOS' : 'qboot'}, q35, TCG): pci_cfg_*, memory_region_ops_*, virtio_set_status`,
    commandLine: [binary, ...args],
    description: `${spec.device} driven by ${kernel.source === 'cache' ? 'the Debian cloud kernel' : kernel.kernel}`,
  };
  const started = performance.now();
  const serial = new TextTail(CONSOLE_TAIL);
  const stderr = new TextTail(STDERR_TAIL);
  let forced: GuestEnding | undefined;
  let child: ChildProcess | undefined;
  try {
    const exit = await new Promise<{ code: number | null; signal: string | null }>((resolve) => {
      const qemu = spawnChild(binary, args, { group: true, stdio: ['ignore', 'pipe', 'pipe'] });
      child = qemu;
      qemu.stdout?.setEncoding('latin1').on('data', (chunk: string) => serial.push(chunk));
      qemu.stderr?.setEncoding('latin1').on('data', (chunk: string) => stderr.push(chunk));
      const stop = (ending: GuestEnding): void => {
        forced ??= ending;
        void reapChild(qemu, 0);
      };
      const timer = setTimeout(() => stop({ kind: 'timeout', seconds: timeoutMs / 1000 }), timeoutMs);
      const onAbort = (): void => stop({ kind: 'aborted' });
      if (options.signal?.aborted) onAbort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const watch = setInterval(() => {
        stat(traceFile).then(
          (info) => {
            if (info.size > maxTraceBytes) stop({ kind: 'trace-limit', bytes: info.size });
          },
          () => undefined,
        );
      }, WATCH_INTERVAL_MS);
      const done = (code: number | null, signal: string | null): void => {
        clearTimeout(timer);
        clearInterval(watch);
        options.signal?.removeEventListener('abort', onAbort);
        resolve({ code, signal });
      };
      qemu.once('error', (error) => {
        stderr.push(`\n${error.message}`);
        done(null, null);
      });
      qemu.once('close', done);
    });
    const seconds = (performance.now() - started) / 1000;
    const text = serial.value;
    const ending: GuestEnding =
      forced ??
      (text.includes(PANIC) ? { kind: 'panic' } : exit.code === 0 && text.includes(POWER_DOWN) ? { kind: 'powered-off' } : { kind: 'qemu-exit', exitCode: exit.code, signal: exit.signal });
    const keep = options.keepTraceFile ?? keptTracePath(spec.spec);
    if (keep !== undefined) await copyFile(traceFile, keep).catch(() => undefined);
    const hasTrace = await stat(traceFile).then(
      (info) => info.size > 0,
      () => false,
    );
    const trace = hasTrace ? await decodeDriverTrace(traceLines(traceFile), { qemuType: spec.device }) : undefined;
    return { spec, metadata, kernel, ending, firmware: firmware === undefined ? 'seabios' : 'qboot', seconds, console: text, stderr: stderr.value, consoleMarkers: consoleMarkers(text), ...(trace !== undefined && { trace }) };
  } finally {
    if (child) await reapChild(child, 0);
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Whether the console shows the guest reached DRIVER_OK (a `ready` marker). */
export function reachedDriverOk(boot: Pick<GuestBoot, 'consoleMarkers'>): boolean {
  return boot.consoleMarkers.some((marker) => marker.name === GuestMarkerName.ready);
}
