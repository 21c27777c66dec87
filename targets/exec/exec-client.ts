/**
 * Keeps an adapter available across its own failures. Requests are pipelined over one connection up
 * to a window; when the adapter crashes, hangs or breaks the protocol, it is restarted and the
 * requests that were merely in flight alongside the culprit are sent again, one at a time, so that
 * only the request that really triggers the failure gets an error and no other answer is lost.
 */
import { TargetError } from '../device-target.ts';
import { AdapterConnection, RequestFailure } from './adapter-connection.ts';
import type { AdapterIncident } from './adapter-incident.ts';
import type { ExecSettings } from './exec-options.ts';
import type { AdapterRole, Answer, Command, RequestBody, StartResult } from './protocol-messages.ts';

/** Commands whose answer depends only on the request, so sending them again is harmless. */
const repeatable: ReadonlySet<Command> = new Set<Command>(['decide', 'map', 'list-functions', 'config-read']);

interface Job {
  body: RequestBody;
  /** Arrival order, kept by retries. */
  order: number;
  attempts: number;
  isolated: boolean;
  /** The incident that made this job be sent again, if any: credited when the retry is answered. */
  retriedAfter?: AdapterIncident;
  resolve(answer: Answer<Command>): void;
  reject(error: TargetError): void;
}

/** A harness error recorded against the adapter, for reports and smoke. */
export interface RecordedError {
  cmd: Command;
  error: TargetError;
}

const maxRecorded = 1000;
/** Incidents kept per client; later ones are counted in `droppedIncidents`. */
const maxIncidents = 1000;

/** A restartable, pipelining client of one adapter command. */
export class ExecClient {
  private connection: AdapterConnection | undefined;
  private lastConnection: AdapterConnection | undefined;
  private starting: Promise<void> | undefined;
  private readonly queue: Job[] = [];
  private readonly retries: Job[] = [];
  private isolated = 0;
  private window: number;
  private restarts = 0;
  private gaveUp: TargetError | undefined;
  private closed = false;
  private arrivals = 0;
  /** The first failure of any connection: what a user needs when every later one says only "failed again". */
  private firstFailure: TargetError | undefined;
  private lastFailure: TargetError | undefined;
  private readonly seenIncidents = new WeakSet<AdapterIncident>();
  private taken = 0;
  /** Harness errors so far (bounded), oldest first. */
  readonly errors: RecordedError[] = [];
  /** Every crash, hang and protocol break of an adapter process (bounded), oldest first, including those a retry recovered from. */
  readonly incidents: AdapterIncident[] = [];
  /** Incidents not kept because {@link incidents} was full. */
  droppedIncidents = 0;

  private constructor(
    readonly argv: readonly string[],
    readonly role: AdapterRole,
    readonly settings: ExecSettings,
    /** What the adapter said in its first `start` answer. */
    readonly started: StartResult,
    first: AdapterConnection,
  ) {
    this.connection = first;
    this.window = Math.min(settings.window, started.maxInFlight ?? settings.window);
  }

  /** Starts the adapter and performs the handshake; rejects with a TargetError when that fails. */
  static async open(argv: readonly string[], role: AdapterRole, settings: ExecSettings): Promise<ExecClient> {
    if (argv.length === 0 || argv[0] === '') throw new TargetError('targetUnavailable', 'exec: empty command');
    const connection = new AdapterConnection(argv, settings);
    try {
      const started = await connection.start(role);
      return new ExecClient(argv, role, settings, started, connection);
    } catch (error) {
      await connection.stop(200);
      const failure = error instanceof TargetError ? error : new TargetError('targetUnavailable', String(error));
      // The adapter's last words (why it could not start) belong in the error.
      if (failure.details.stderr === undefined || failure.details.stderr === '') {
        const stderr = connection.incident?.stderrTail || connection.stderrText();
        if (stderr !== '') throw new TargetError(failure.diagnostic, failure.message, { ...failure.details, stderr });
      }
      throw failure;
    }
  }

  /** Incidents recorded since the last call (for attributing them to the test that was running). */
  takeIncidents(): AdapterIncident[] {
    const fresh = this.incidents.slice(this.taken);
    this.taken = this.incidents.length;
    return fresh;
  }

  /** Records the incident of a connection that failed, once. */
  private noteIncident(connection: AdapterConnection | undefined): void {
    const incident = connection?.incident;
    if (!incident || this.seenIncidents.has(incident)) return;
    this.seenIncidents.add(incident);
    if (this.incidents.length < maxIncidents) this.incidents.push(incident);
    else this.droppedIncidents += 1;
  }

  /** How many times the adapter has been restarted. */
  get restartCount(): number {
    return this.restarts;
  }

  /** The current connection (for smoke's observations); undefined between a failure and the restart. */
  get current(): AdapterConnection | undefined {
    return this.connection;
  }

  /** Recent stderr of the adapter process that answered last (the current one, or the one that failed). */
  stderrText(): string {
    return (this.connection ?? this.lastConnection)?.stderrText() ?? '';
  }

  /** Sends one request and resolves with the adapter's answer; rejects with a TargetError. */
  request<C extends Command>(body: RequestBody & { cmd: C }): Promise<Answer<C>> {
    return new Promise<Answer<C>>((resolve, reject) => {
      if (this.closed) return reject(new TargetError('targetUnavailable', `exec target '${this.argv.join(' ')}' is closed`));
      if (this.gaveUp) return reject(this.record(body.cmd, this.gaveUp));
      this.queue.push({ body, order: this.arrivals++, attempts: 0, isolated: false, resolve: resolve as Job['resolve'], reject });
      this.pump();
    });
  }

  /** Stops the adapter and fails whatever is still queued. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const error = new TargetError('targetUnavailable', `exec target '${this.argv.join(' ')}' was closed`);
    for (const job of [...this.retries.splice(0), ...this.queue.splice(0)]) job.reject(error);
    await this.starting;
    await this.connection?.stop();
    this.connection = undefined;
  }

  private record(cmd: Command, error: TargetError): TargetError {
    if (this.errors.length < maxRecorded) this.errors.push({ cmd, error });
    return error;
  }

  private noteFailure(error: TargetError): void {
    this.firstFailure ??= error;
    this.lastFailure = error;
  }

  private nextJob(): Job | undefined {
    return this.retries.shift() ?? this.queue.shift();
  }

  private pump(): void {
    if (this.closed || (this.queue.length === 0 && this.retries.length === 0)) return;
    const connection = this.connection;
    if (!connection || !connection.usable) {
      this.restart();
      return;
    }
    // While requests that were in flight with a failure are retried, send one at a time so that a
    // second failure names its culprit exactly.
    const limit = this.isolated > 0 ? 1 : this.window;
    while (connection.inFlight < limit && connection.usable) {
      const job = this.nextJob();
      if (!job) break;
      job.attempts += 1;
      connection.send(job.body).then(
        (answer) => {
          if (job.retriedAfter) job.retriedAfter.recovered += 1;
          this.settle(job, () => job.resolve(answer));
        },
        (failure: unknown) => this.onFailure(job, failure, connection),
      );
    }
  }

  private settle(job: Job, deliver: () => void): void {
    if (job.isolated) {
      job.isolated = false;
      this.isolated -= 1;
    }
    deliver();
    this.pump();
  }

  private onFailure(job: Job, failure: unknown, connection: AdapterConnection): void {
    const error =
      failure instanceof RequestFailure ? failure.error : failure instanceof TargetError ? failure : new TargetError('targetProtocol', String(failure));
    this.noteIncident(connection);
    if (connection.incident) this.noteFailure(error);
    const retry = failure instanceof RequestFailure && failure.retryable && job.attempts < 2 && repeatable.has(job.body.cmd) && !this.closed;
    if (retry) {
      if (connection.incident) {
        job.retriedAfter = connection.incident;
        connection.incident.retried += 1;
      }
      if (!job.isolated) {
        job.isolated = true;
        this.isolated += 1;
      }
      this.retries.push(job);
      // Retries keep their original order: every in-flight request fails in the same tick.
      this.retries.sort((a, b) => a.order - b.order);
      queueMicrotask(() => this.pump());
      return;
    }
    this.settle(job, () => job.reject(this.record(job.body.cmd, error)));
  }

  private restart(): void {
    if (this.starting || this.closed) return;
    const previous = this.connection;
    if (previous) this.lastConnection = previous;
    this.connection = undefined;
    this.noteIncident(previous);
    if (previous) void previous.stop(200);
    if (this.restarts >= this.settings.maxRestarts) {
      const first = this.firstFailure ?? previous?.failure;
      const last = this.lastFailure ?? previous?.failure;
      const causes = first === undefined ? '' : first === last || last === undefined ? `; the failure: ${first.message}` : `; first failure: ${first.message}; last: ${last.message}`;
      this.gaveUp = new TargetError(
        'targetUnavailable',
        `exec target '${this.argv.join(' ')}' failed ${this.restarts + 1} times; not restarted again (limit ${this.settings.maxRestarts})${causes}`,
        { stderr: first?.details.stderr || this.stderrText() },
      );
      for (const job of [...this.retries.splice(0), ...this.queue.splice(0)]) this.settle(job, () => job.reject(this.record(job.body.cmd, this.gaveUp!)));
      return;
    }
    this.restarts += 1;
    const connection = new AdapterConnection(this.argv, this.settings);
    this.starting = connection
      .start(this.role)
      .then((started) => {
        this.window = Math.min(this.settings.window, started.maxInFlight ?? this.settings.window);
        this.connection = connection;
      })
      .catch(async (error: unknown) => {
        await connection.stop(200);
        this.noteIncident(connection);
        // The restart itself failed: the request that was waiting for it gets the error.
        const job = this.nextJob();
        let failure = error instanceof TargetError ? error : new TargetError('targetUnavailable', String(error));
        if (!failure.details.stderr && connection.incident?.stderrTail) failure = new TargetError(failure.diagnostic, failure.message, { ...failure.details, stderr: connection.incident.stderrTail });
        this.noteFailure(failure);
        if (job) this.settle(job, () => job.reject(this.record(job.body.cmd, failure)));
      })
      .finally(() => {
        this.starting = undefined;
        this.pump();
      });
  }
}
