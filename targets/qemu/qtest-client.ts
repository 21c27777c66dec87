import type { ChildProcess } from 'node:child_process';
import { spawnChild } from '../../core/child-processes.ts';
import { TargetError } from '../device-target.ts';
import { reap } from './process-reaper.ts';

/** Limits for one QEMU process. */
export interface QtestLimits {
  /** Until the first reply (QEMU started and qtest answering). */
  startMs: number;
  /** For each reply. */
  commandMs: number;
  /** Total lifetime; the process is killed when it is exceeded, whatever it is doing. */
  lifetimeMs: number;
}

/** Defaults sized for a 2-core machine running a few QEMUs in parallel. */
export const DEFAULT_QTEST_LIMITS: QtestLimits = { startMs: 15_000, commandMs: 10_000, lifetimeMs: 300_000 };

/** stderr kept for error messages: enough to show why QEMU died, bounded so a chatty QEMU cannot fill memory. */
const MAX_STDERR_CHARS = 16_384;
/** Longest reply line accepted (a 4 KiB `read` reply is about 8 KiB of hex). */
const MAX_REPLY_CHARS = 1 << 20;

interface Pending {
  command: string;
  resolve: (reply: string) => void;
  reject: (error: TargetError) => void;
}

/**
 * A running `qemu-system-* -qtest stdio` and its line protocol: one command per line on stdin, one
 * `OK [value]` / `FAIL reason` line per command on stdout, in order (so commands may be pipelined).
 * Every wait is bounded; a QEMU that exits fails every pending and later command with
 * `TargetError('targetCrashed')` carrying its stderr.
 */
export class QtestClient {
  readonly #child: ChildProcess;
  readonly #limits: QtestLimits;
  readonly #pending: Pending[] = [];
  #stdout = '';
  #stderr = '';
  #failure: TargetError | undefined;
  #closing = false;
  #lifetime: NodeJS.Timeout;
  readonly #exited: Promise<void>;

  private constructor(child: ChildProcess, limits: QtestLimits) {
    this.#child = child;
    this.#limits = limits;
    child.stdout!.setEncoding('utf8');
    child.stderr!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => this.#onStdout(chunk));
    child.stderr!.on('data', (chunk: string) => {
      this.#stderr = (this.#stderr + chunk).slice(-MAX_STDERR_CHARS);
    });
    // EPIPE after QEMU died is reported through 'exit'; without a listener it would crash xvc.
    child.stdin!.on('error', () => {});
    this.#exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        clearTimeout(this.#lifetime);
        if (!this.#closing) {
          this.#fail(new TargetError('targetCrashed', `QEMU exited (${signal ?? `code ${code}`}) while xvc was using it`, { stderr: this.#stderr }));
        } else {
          this.#fail(new TargetError('targetCrashed', 'QEMU was stopped', { stderr: this.#stderr }));
        }
        resolve();
      });
      // A process that could not be spawned emits 'error' and never 'exit': it has ended all the same.
      child.once('error', () => {
        if (child.pid === undefined) {
          clearTimeout(this.#lifetime);
          resolve();
        }
      });
    });
    child.once('error', (error) => {
      this.#fail(new TargetError('targetUnavailable', `cannot start QEMU: ${error.message}`, { stderr: this.#stderr }));
    });
    this.#lifetime = setTimeout(() => {
      this.#fail(new TargetError('targetTimeout', `QEMU ran longer than ${limits.lifetimeMs} ms; killed`, { stderr: this.#stderr }));
      void reap(child, 0);
    }, limits.lifetimeMs);
    this.#lifetime.unref();
  }

  /**
   * Starts QEMU and waits until qtest answers. QEMU does not exit when its qtest pipe closes, so it
   * is started under the parent-death guard of core/child-processes.ts: it dies with xvc (or with the
   * worker thread that started it), whatever ends xvc.
   * @param binary path of qemu-system-x86_64
   * @param args the whole argument list (must include `-qtest stdio`)
   */
  static async start(binary: string, args: string[], limits: QtestLimits = DEFAULT_QTEST_LIMITS): Promise<QtestClient> {
    const child = spawnChild(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const client = new QtestClient(child, limits);
    try {
      const reply = await client.#send('endianness', limits.startMs);
      if (reply !== 'little') throw new TargetError('targetProtocol', `unexpected qtest endianness reply '${reply}'`, { stderr: client.stderr });
    } catch (error) {
      await client.close();
      throw error;
    }
    return client;
  }

  /** QEMU's stderr so far (bounded). */
  get stderr(): string {
    return this.#stderr;
  }

  /** The process id, for diagnostics. */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Sends one command and returns the text after `OK` (empty when there is none). */
  command(line: string): Promise<string> {
    return this.#send(line, this.#limits.commandMs);
  }

  /** Sends several commands at once (pipelined) and returns their replies in order. */
  commands(lines: string[]): Promise<string[]> {
    return Promise.all(lines.map((line) => this.#send(line, this.#limits.commandMs)));
  }

  /** Stops QEMU (SIGTERM, then SIGKILL) and waits for it to exit. Idempotent. */
  async close(): Promise<void> {
    this.#closing = true;
    clearTimeout(this.#lifetime);
    await reap(this.#child);
    await this.#exited;
  }

  #send(line: string, timeoutMs: number): Promise<string> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (/[\r\n]/.test(line)) return Promise.reject(new TargetError('targetProtocol', `refusing a qtest command with a line break: ${JSON.stringify(line)}`));
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        const error = new TargetError('targetTimeout', `QEMU did not answer '${line}' within ${timeoutMs} ms`, { stderr: this.#stderr });
        this.#fail(error);
        void reap(this.#child, 0);
      }, timeoutMs);
      this.#pending.push({
        command: line,
        resolve: (reply) => {
          clearTimeout(timer);
          resolve(reply);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.#child.stdin!.write(`${line}\n`);
    });
  }

  #onStdout(chunk: string): void {
    this.#stdout += chunk;
    let newline: number;
    while ((newline = this.#stdout.indexOf('\n')) >= 0) {
      const line = this.#stdout.slice(0, newline).trimEnd();
      this.#stdout = this.#stdout.slice(newline + 1);
      this.#onLine(line);
    }
    if (this.#stdout.length > MAX_REPLY_CHARS) {
      this.#fail(new TargetError('targetProtocol', `qtest reply longer than ${MAX_REPLY_CHARS} characters`, { stderr: this.#stderr }));
      void reap(this.#child, 0);
    }
  }

  #onLine(line: string): void {
    // Interrupt notifications arrive unasked when IRQs are intercepted; they answer no command.
    if (line.startsWith('IRQ ') || line === '') return;
    const pending = this.#pending.shift();
    if (!pending) {
      this.#fail(new TargetError('targetProtocol', `unexpected qtest output '${line.slice(0, 200)}'`, { stderr: this.#stderr }));
      return;
    }
    if (line === 'OK' || line.startsWith('OK ')) pending.resolve(line.slice(3));
    else pending.reject(new TargetError('targetProtocol', `qtest '${pending.command}' failed: ${line.slice(0, 200)}`, { stderr: this.#stderr }));
  }

  #fail(error: TargetError): void {
    this.#failure ??= error;
    for (const pending of this.#pending.splice(0)) pending.reject(this.#failure);
  }
}

/** Formats a number the only way qtest accepts without aborting: unsigned hexadecimal. */
export function qtestHex(value: number | bigint): string {
  if (typeof value === 'bigint') return `0x${BigInt.asUintN(64, value).toString(16)}`;
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`qtest number must be a non-negative integer, got ${value}`);
  return `0x${value.toString(16)}`;
}

/** Parses a qtest `OK 0x...` value. */
export function parseQtestNumber(reply: string): number {
  if (!/^0x[0-9a-fA-F]{1,16}$/.test(reply)) throw new TargetError('targetProtocol', `expected a hex number from qtest, got '${reply.slice(0, 100)}'`);
  const value = Number.parseInt(reply.slice(2), 16);
  return value;
}
