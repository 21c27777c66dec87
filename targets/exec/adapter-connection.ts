/**
 * One run of an adapter process: spawned from an argument vector (never a shell) with an explicit
 * environment, spoken to in JSON lines, every message validated, every request bounded by a timeout.
 * Answers are matched by `seq`, so they may arrive in any order. When the process dies, hangs or
 * breaks the framing, the connection kills it and fails every outstanding request with a
 * {@link RequestFailure} saying whether the request itself was to blame; the client decides on retries.
 * Every request settles: with its answer, its timeout, or the end of the process, whichever comes first.
 *
 * The adapter leads its own process group (anything it forks is killed with it) and, where the system
 * allows, dies with xvc (core/child-processes.ts). A failure that is not an orderly stop is kept as an
 * {@link AdapterIncident}: exit status, stderr tail, the requests it took down.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { reapChild, signalChild, spawnChild } from '../../core/child-processes.ts';
import { XvcError } from '../../core/xvc-error.ts';
import { TargetError, type TargetErrorDetails, type TargetErrorKind } from '../device-target.ts';
import type { AdapterIncident, AdapterIncidentKind } from './adapter-incident.ts';
import { adapterEnvironment, type ExecSettings } from './exec-options.ts';
import { LineSplitter } from './line-splitter.ts';
import { StderrTail } from './stderr-tail.ts';
import {
  PROTOCOL_VERSION,
  type AdapterErrorCode,
  type AdapterRole,
  type Answer,
  type Command,
  type RequestBody,
  type StartResult,
} from './protocol-messages.ts';
import { validateMessage, type ProtocolSchemaName } from './protocol-validator.ts';

/**
 * Why a request got no usable answer; `retryable` when it was not the request's own fault. It carries
 * the catalogue entry of the target error it wraps.
 */
export class RequestFailure extends XvcError<TargetErrorKind, TargetErrorDetails> {
  constructor(
    readonly error: TargetError,
    readonly retryable: boolean,
  ) {
    super(error.diagnostic, error.message, error.details);
  }
}

interface Outstanding {
  seq: number;
  cmd: Command;
  resolve(answer: Answer<Command>): void;
  reject(failure: RequestFailure): void;
  timer: NodeJS.Timeout;
  /** Bytes of stderr written when the request was sent. */
  stderrAtSend: number;
}

/** Observations about an adapter that are not errors (unknown fields ignored, ...), for smoke. */
export type ConnectionNote = { kind: 'ignored-fields'; cmd: Command; seq: number; fields: string[] };

const preview = (text: string): string => JSON.stringify(text.length > 160 ? `${text.slice(0, 160)}...` : text);

/** How long stderr may take to drain after the process ended, before the report is written without the rest. */
const STDERR_DRAIN_MS = 100;

/**
 * How long an error answer waits for stderr when the adapter wrote none since the request. stdout
 * and stderr are two pipes with no order between them: an adapter that logs why and then answers
 * with an error can have its answer read first, and the error would lose the adapter's own words
 * (seen under load). Error answers are rare, so the wait costs nothing on the common path.
 */
const STDERR_CATCH_UP_MS = 250;

/** A live adapter process. */
export class AdapterConnection {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly outstanding = new Map<number, Outstanding>();
  private readonly splitter: LineSplitter;
  private readonly stderr: StderrTail;
  private readonly stderrWaiters: (() => void)[] = [];
  private nextSeq = 0;
  private failed: TargetError | undefined;
  private stopping = false;
  private status: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private killedByXvc = false;
  private readonly exited: Promise<void>;
  /** Resolves once the process has ended and its stderr is drained (or the drain time passed). */
  private readonly settled: Promise<void>;
  /** Non-fatal observations, oldest first (bounded). */
  readonly notes: ConnectionNote[] = [];
  readonly label: string;
  /** Why the process ended, when that was not an orderly stop; filled in as the exit status arrives. */
  incident: AdapterIncident | undefined;

  constructor(
    readonly argv: readonly string[],
    private readonly settings: ExecSettings,
  ) {
    this.label = `adapter '${argv.join(' ')}'`;
    this.splitter = new LineSplitter(settings.maxLineBytes);
    this.stderr = new StderrTail(settings.stderrTailBytes);
    this.child = spawnChild(argv[0]!, argv.slice(1), {
      cwd: settings.cwd,
      env: adapterEnvironment(settings),
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
      group: true,
    }) as ChildProcessWithoutNullStreams;
    this.exited = new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.once('error', () => resolve());
    });
    this.child.stdout.on('data', (chunk: Buffer) => this.onStdout(chunk));
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr.push(chunk);
      for (const waiter of this.stderrWaiters.splice(0)) waiter();
    });
    // A write to a dead adapter fails with EPIPE; the exit handler reports the real cause.
    this.child.stdin.on('error', () => undefined);
    this.child.once('error', (error) => {
      this.status ??= { code: null, signal: null };
      this.fail(new TargetError('targetUnavailable', `${this.label} cannot be started: ${error.message}`, { stderr: this.stderrText() }), 'start-failure');
    });
    this.settled = new Promise((resolve) => {
      this.child.once('error', () => resolve());
      this.child.once('exit', (code, signal) => {
        this.status = { code, signal };
        if (this.incident) Object.assign(this.incident, { exitCode: code, signal });
        // Give stderr a moment to drain so the report carries the adapter's last words; a grandchild
        // holding the pipe open must not make xvc wait for it.
        let done = false;
        const finish = (): void => {
          if (done) return;
          done = true;
          clearTimeout(settle);
          if (this.incident) this.incident.stderrTail = this.stderrText();
          this.onExit(code, signal);
          // A process outside the adapter's group (a daemon it started with setsid) may still hold the
          // pipes; open pipes keep Node's event loop, so xvc would wait for that process after its reports.
          this.child.stdin.destroy();
          this.child.stdout.destroy();
          this.child.stderr.destroy();
          resolve();
        };
        const settle = setTimeout(finish, STDERR_DRAIN_MS);
        this.child.once('close', finish);
      });
    });
  }

  /** Process id, while the process lives. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Requests sent and not yet answered. */
  get inFlight(): number {
    return this.outstanding.size;
  }

  /** False once the connection failed, was stopped, or the process ended. */
  get usable(): boolean {
    return this.failed === undefined && !this.stopping && this.status === undefined;
  }

  /**
   * Resolves once the adapter has written stderr since `mark` bytes, or after {@link STDERR_CATCH_UP_MS}
   * (at once when it already has, or when the process has ended and its stderr is drained).
   */
  private stderrSince(mark: number): Promise<void> {
    if (this.stderr.written > mark || this.status !== undefined) return Promise.resolve();
    return new Promise((resolve) => {
      const waiters = this.stderrWaiters;
      const done = (): void => {
        clearTimeout(timer);
        const index = waiters.indexOf(done);
        if (index >= 0) waiters.splice(index, 1);
        resolve();
      };
      const timer = setTimeout(done, STDERR_CATCH_UP_MS);
      waiters.push(done);
    });
  }

  /** The adapter's most recent stderr. */
  stderrText(): string {
    return this.stderr.text();
  }

  /**
   * Sends `start` and returns the adapter's validated answer, whatever version or role it names.
   * Rejects with a TargetError when there is no valid answer (the connection is then dead).
   */
  async handshake(role: AdapterRole): Promise<Answer<'start'>> {
    try {
      return (await this.send({ cmd: 'start', protocols: [PROTOCOL_VERSION], role }, this.settings.startTimeoutMs)) as Answer<'start'>;
    } catch (failure) {
      throw failure instanceof RequestFailure ? failure.error : failure;
    }
  }

  /**
   * Sends `start`, checks the protocol version and the role, and returns what the adapter said about
   * itself. Rejects with a TargetError (the connection is then dead).
   */
  async start(role: AdapterRole): Promise<StartResult> {
    const answer = await this.handshake(role);
    const refuse = async (kind: TargetErrorKind, message: string): Promise<never> => {
      const error = new TargetError(kind, `${this.label}: ${message}`);
      this.fail(error, 'start-failure');
      // What the adapter wrote to stderr before it was refused may still be in the pipe.
      await this.settledWithin(1000);
      throw new TargetError(kind, error.message, { stderr: this.stderrText() });
    };
    if (answer.kind !== 'result') {
      return refuse('targetUnavailable', `answered start with ${answer.kind}: ${answer.kind === 'skip' ? answer.reason : answer.message}`);
    }
    const result = answer.result;
    if (result.protocol !== PROTOCOL_VERSION) {
      return refuse('targetProtocol', `speaks protocol '${result.protocol}', xvc speaks '${PROTOCOL_VERSION}'`);
    }
    if (result.role !== role) return refuse('targetRole', `implements the ${result.role} role, xvc needs a ${role}`);
    return result;
  }

  /** How the process ended, once it has; waits at most `ms`. */
  async exitStatus(ms: number): Promise<{ code: number | null; signal: NodeJS.Signals | null } | undefined> {
    await Promise.race([this.exited, new Promise((resolve) => setTimeout(resolve, ms).unref())]);
    if (this.child.exitCode === null && this.child.signalCode === null) return undefined;
    return { code: this.child.exitCode, signal: this.child.signalCode };
  }

  /** Waits until the process has ended and its stderr is drained, at most `ms`. */
  private async settledWithin(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.settled, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
  }

  /** The error that ended the connection, if it failed. */
  get failure(): TargetError | undefined {
    return this.failed;
  }

  /**
   * Sends one request and resolves with the adapter's validated answer. Rejects with a
   * RequestFailure. `unchecked` skips validation of the request (for smoke's malformed request).
   */
  send(body: RequestBody, timeoutMs = this.settings.requestTimeoutMs, unchecked = false): Promise<Answer<Command>> {
    return new Promise((resolve, reject) => {
      if (this.failed) return reject(new RequestFailure(this.failed, true));
      if (this.stopping) return reject(new RequestFailure(new TargetError('targetUnavailable', `${this.label} is stopping`), true));
      // Between the exit and the end of the stderr drain, the process is gone but not yet failed:
      // the request waits for the exit handler, which fails it with the real cause.
      const seq = this.nextSeq++;
      const message = { seq, ...body };
      if (!unchecked) {
        const checked = validateMessage(`${body.cmd}-request` as ProtocolSchemaName, message, true);
        if (!checked.ok) {
          const error = new TargetError('targetInput', `xvc built an invalid ${body.cmd} request: ${checked.problems.join('; ')}`);
          return reject(new RequestFailure(error, false));
        }
      }
      const timer = setTimeout(() => this.onTimeout(seq, timeoutMs), timeoutMs);
      this.outstanding.set(seq, { seq, cmd: body.cmd, resolve, reject, timer, stderrAtSend: this.stderr.written });
      this.child.stdin.write(`${JSON.stringify(message)}\n`);
    });
  }

  /**
   * Asks the adapter to stop (unless it has already ended), then makes sure it and everything in its
   * process group have exited (SIGTERM, then SIGKILL). Idempotent; settles whatever the adapter does.
   */
  async stop(graceMs = 1000): Promise<void> {
    // Ended by itself before anyone asked it to stop (its exit still draining stderr): a crash, kept
    // as one, not mistaken for the orderly stop that follows.
    if (this.status !== undefined && this.failed === undefined && !this.stopping) this.crashed(this.status.code, this.status.signal);
    if (this.usable) {
      const stopped = this.send({ cmd: 'stop' }, graceMs).catch(() => undefined);
      this.stopping = true;
      await stopped;
    }
    this.stopping = true;
    this.failAll(new TargetError('targetUnavailable', `${this.label} was stopped`), true);
    this.child.stdin.end();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.exited, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    await reapChild(this.child, graceMs);
  }

  private onStdout(chunk: Buffer): void {
    if (this.failed) return;
    const { lines, overflow } = this.splitter.push(chunk);
    for (const line of lines) {
      if (this.failed) return;
      this.onLine(line);
    }
    if (overflow && !this.failed) {
      this.fail(
        new TargetError('targetProtocol', `${this.label} wrote a stdout line longer than ${this.settings.maxLineBytes} bytes: output cut off and adapter killed`, {
          stderr: this.stderrText(),
        }),
        'protocol',
      );
    }
  }

  private protocolFailure(message: string): void {
    this.fail(new TargetError('targetProtocol', `${this.label} ${message}`, { stderr: this.stderrText() }), 'protocol');
  }

  private onLine(line: string): void {
    if (line.trim() === '') return;
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      return this.protocolFailure(`wrote a line that is not JSON: ${preview(line)} (stdout is for protocol messages only; log to stderr)`);
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      return this.protocolFailure(`wrote a message that is not a JSON object: ${preview(line)}`);
    }
    const seq = (message as { seq?: unknown }).seq;
    if (seq === null && 'error' in message) {
      const reported = (message as { error?: { message?: unknown } }).error?.message;
      return this.protocolFailure(`answered with an error for a request it could not read (seq null): ${preview(String(reported))}`);
    }
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq)) {
      return this.protocolFailure(`wrote a message without an integer seq: ${preview(line)}`);
    }
    const request = this.outstanding.get(seq);
    if (!request) {
      const waiting = [...this.outstanding.keys()];
      const expected = waiting.length === 0 ? 'no request was outstanding' : `outstanding: ${waiting.slice(0, 10).join(', ')}`;
      return this.protocolFailure(`answered seq ${seq}, which matches no outstanding request (${expected}): ${preview(line)}`);
    }
    this.outstanding.delete(seq);
    clearTimeout(request.timer);
    // An answered stop means the adapter is about to exit: that exit is orderly, not a crash.
    if (request.cmd === 'stop') this.stopping = true;
    const schema: ProtocolSchemaName = 'error' in message ? 'error-response' : 'skip' in message ? 'skip-response' : (`${request.cmd}-response` as ProtocolSchemaName);
    const checked = validateMessage(schema, message, this.settings.strictProtocol);
    if (!checked.ok) {
      const error = new TargetError('targetProtocol', `${this.label} sent an invalid answer to ${request.cmd} (seq ${seq}): ${checked.problems.join('; ')}`, {
        stderr: this.stderrText(),
      });
      return request.reject(new RequestFailure(error, false));
    }
    if (checked.ignoredFields.length > 0 && this.notes.length < 100) {
      this.notes.push({ kind: 'ignored-fields', cmd: request.cmd, seq, fields: checked.ignoredFields });
    }
    const valid = checked.value as { result?: unknown; skip?: { reason: string }; error?: { code: AdapterErrorCode; message: string } };
    if (valid.error) {
      const answer = { kind: 'error' as const, code: valid.error.code, message: valid.error.message };
      void this.stderrSince(request.stderrAtSend).then(() => request.resolve(answer));
    }
    else if (valid.skip) request.resolve({ kind: 'skip', reason: valid.skip.reason });
    else request.resolve({ kind: 'result', result: valid.result as never });
  }

  private onTimeout(seq: number, timeoutMs: number): void {
    const request = this.outstanding.get(seq);
    // Whatever else happened, a request whose time is up settles now.
    if (!request) return;
    this.outstanding.delete(seq);
    const error = new TargetError('targetTimeout', `${this.label} did not answer ${request.cmd} (seq ${seq}) within ${timeoutMs} ms; adapter killed`, {
      stderr: this.stderrText(),
    });
    request.reject(new RequestFailure(error, false));
    this.fail(
      new TargetError('targetTimeout', `${this.label} was killed because ${request.cmd} (seq ${seq}) timed out`, { stderr: this.stderrText() }),
      'timeout',
      { cmd: request.cmd, seq },
    );
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.failed) {
      // Already failed (and its requests failed with it); anything sent since settles too.
      this.failAll(this.failed, true);
      return;
    }
    if (this.stopping) {
      this.failed = new TargetError('targetUnavailable', `${this.label} stopped`);
      this.failAll(this.failed, true);
      return;
    }
    this.crashed(code, signal);
  }

  private crashed(code: number | null, signal: NodeJS.Signals | null): void {
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    // Ending before answering start is a handshake that never completed, not a crash while in use.
    const starting = [...this.outstanding.values()].some((request) => request.cmd === 'start');
    this.fail(new TargetError('targetCrashed', `${this.label} ${how}`, { stderr: this.stderrText() }), starting ? 'start-failure' : 'crash');
  }

  /**
   * Marks the connection dead, kills the process group and fails every outstanding request. Unless the
   * connection was being stopped, the failure is kept as an incident.
   */
  private fail(error: TargetError, kind: AdapterIncidentKind, culprit?: { cmd: Command; seq: number }): void {
    if (this.failed) return;
    this.failed = error;
    const inFlight = [...this.outstanding.values()].map((request) => ({ cmd: request.cmd, seq: request.seq }));
    if (!this.stopping || kind === 'start-failure') {
      this.incident = {
        kind,
        code: error.code,
        message: error.message,
        ...(culprit === undefined ? {} : { request: culprit }),
        inFlight,
        exitCode: this.status?.code ?? null,
        signal: this.status?.signal ?? null,
        killedByXvc: this.status === undefined,
        stderrTail: this.stderrText(),
        ...(this.child.pid === undefined ? {} : { pid: this.child.pid }),
        at: new Date().toISOString(),
        retried: 0,
        recovered: 0,
      };
    }
    this.failAll(error, true);
    if (this.status === undefined) {
      this.killedByXvc = true;
      signalChild(this.child, 'SIGKILL');
    }
  }

  /** Whether xvc killed the process (after a timeout or a protocol break). */
  get killed(): boolean {
    return this.killedByXvc;
  }

  private failAll(error: TargetError, retryable: boolean): void {
    for (const request of this.outstanding.values()) {
      clearTimeout(request.timer);
      const detail = new TargetError(error.diagnostic, `${error.message} before answering ${request.cmd} (seq ${request.seq})`, error.details);
      request.reject(new RequestFailure(detail, retryable));
    }
    this.outstanding.clear();
  }
}
