import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Scenario } from '../../generated/ts/schema/scenario.ts';
import { survivorsOf } from '../../test-support/processes.ts';
import { TargetError } from '../device-target.ts';
import { AdapterConnection, RequestFailure } from './adapter-connection.ts';
import { execSettings, type ExecTargetOptions } from './exec-options.ts';

const fixtures = fileURLToPath(new URL('../../fixtures/adapters/', import.meta.url));
const argv = (name: string): string[] => [process.execPath, `${fixtures}${name}.mjs`];

describe('AdapterConnection', () => {
  it('an adapter that exits by itself just before xvc stops it is recorded as a crash, not as the stop', async () => {
    const connection = new AdapterConnection(argv('exit-after-start'), execSettings(argv('exit-after-start')));
    await connection.start('frontend');
    // Resolves at the exit itself, before the stderr drain that classifies it.
    const status = await connection.exitStatus(30_000);
    expect(status).toEqual({ code: 3, signal: null });
    await connection.stop(1000);
    expect(connection.incident).toMatchObject({ kind: 'crash', exitCode: 3, killedByXvc: false });
    expect(connection.incident?.stderrTail).toContain('licence expired');
  });

  it('settles a request sent after the adapter answered stop and exited (the second stop of smoke)', async () => {
    const connection = new AdapterConnection(argv('well-behaved'), execSettings(argv('well-behaved')));
    await connection.start('frontend');
    expect(await connection.send({ cmd: 'stop' })).toEqual({ kind: 'result', result: {} });
    expect(await connection.exitStatus(30_000)).toEqual({ code: 0, signal: null });
    // stop() again: no request may be left waiting on the dead process.
    await connection.stop(1000);
    await expect(connection.send({ cmd: 'stop' })).rejects.toMatchObject({ retryable: true });
    expect(connection.incident).toBeUndefined();
  });

  it("an error answer read before the adapter's stderr about it still comes with that stderr", async () => {
    const connection = new AdapterConnection(argv('error-then-stderr'), execSettings(argv('error-then-stderr')));
    try {
      await connection.start('frontend');
      expect(await connection.send(decide(13))).toEqual({ kind: 'error', code: 'internal', message: 'lookup failed' });
      expect(connection.stderrText()).toContain('table lookup failed');
    } finally {
      await connection.stop(1000);
    }
  });
});

const POISON = 13;
const started: AdapterConnection[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((connection) => connection.stop(1000)));
});

async function connect(name: string, options: ExecTargetOptions = {}): Promise<AdapterConnection> {
  const connection = new AdapterConnection(argv(name), execSettings(argv(name), options));
  started.push(connection);
  await connection.start('frontend');
  return connection;
}

function decide(domid: number) {
  const scenario: Scenario = {
    guest: { domid, initialDomain: false, type: 'hvm', arch: 'x86', kernel: { xenVirtio: true, forceGrant: false }, bootParameters: [] },
    devices: [{ id: `net-${domid}`, transport: 'mmio', deviceFeatures: '0x0', backendControlled: [] }],
    channels: {},
  };
  return { cmd: 'decide' as const, scenario };
}

/** The failure a settled request was rejected with. */
function failureOf(outcome: PromiseSettledResult<unknown>): RequestFailure {
  expect(outcome.status).toBe('rejected');
  const reason = (outcome as PromiseRejectedResult).reason as unknown;
  expect(reason).toBeInstanceOf(RequestFailure);
  return reason as RequestFailure;
}

describe('AdapterConnection: every request settles, and says whether it was to blame', () => {
  it('a request that times out fails as its own fault; the requests in flight with it fail as retryable; the incident names it', async () => {
    const connection = await connect('hang');
    // start was seq 0.
    expect(await connection.send(decide(1))).toMatchObject({ kind: 'result' });
    // The adapter answers nothing from the poison on: only the poison's own short limit can run out.
    const settled = await Promise.allSettled([connection.send(decide(POISON), 1_000), connection.send(decide(2))]);
    const culprit = failureOf(settled[0]!);
    expect(culprit.retryable).toBe(false);
    expect(culprit.error).toMatchObject({ diagnostic: 'targetTimeout', message: expect.stringMatching(/did not answer decide \(seq 2\) within 1000 ms; adapter killed/) });
    const bystander = failureOf(settled[1]!);
    expect(bystander.retryable).toBe(true);
    expect(bystander.error.message).toMatch(/before answering decide \(seq 3\)/);
    expect(connection.incident).toMatchObject({ kind: 'timeout', request: { cmd: 'decide', seq: 2 }, inFlight: [{ cmd: 'decide', seq: 3 }], killedByXvc: true });
    expect(connection.usable).toBe(false);
    expect(await survivorsOf([connection.pid!])).toEqual([]);
    // A request sent after the failure settles at once, as retryable.
    const late = await connection.send(decide(3)).catch((failure: unknown) => failure);
    expect(late).toMatchObject({ retryable: true });
  });

  it('a stdout line longer than the cap kills the adapter and fails what is in flight, without reading the rest', async () => {
    const connection = await connect('flood', { maxLineBytes: 64 * 1024 });
    const settled = await Promise.allSettled([connection.send(decide(POISON)), connection.send(decide(5))]);
    for (const outcome of settled) expect(failureOf(outcome).error).toMatchObject({ diagnostic: 'targetProtocol', message: expect.stringContaining('longer than 65536 bytes') });
    expect(connection.incident).toMatchObject({ kind: 'protocol', killedByXvc: true });
    expect(await survivorsOf([connection.pid!])).toEqual([]);
  });

  it('an answer that breaks its schema fails that request alone, and the adapter goes on answering', async () => {
    const strict = await connect('extra-fields', { strictProtocol: true });
    const invalid = await strict.send(decide(1)).catch((failure: unknown) => failure);
    expect(invalid).toBeInstanceOf(RequestFailure);
    expect(invalid).toMatchObject({ retryable: false, error: { diagnostic: 'targetProtocol', message: expect.stringContaining("unknown field 'confidence'") } });
    expect(strict.usable).toBe(true);
    expect(strict.incident).toBeUndefined();
    // Without --strict-protocol the same answer is taken, and the ignored field noted.
    const lax = await connect('extra-fields');
    expect(await lax.send(decide(1))).toMatchObject({ kind: 'result' });
    expect(lax.notes).toEqual([{ kind: 'ignored-fields', cmd: 'decide', seq: 1, fields: ["/result/decisions/0: unknown field 'confidence'"] }]);
  });

  it('a request xvc built wrong is refused before it is sent, as xvc\'s own fault', async () => {
    const connection = await connect('well-behaved');
    const broken = decide(70_000);
    const refused = await connection.send(broken).catch((failure: unknown) => failure);
    expect(refused).toMatchObject({ retryable: false, error: { diagnostic: 'targetInput', message: expect.stringContaining('/scenario/guest/domid') } });
    expect(connection.inFlight).toBe(0);
    expect(await connection.send(decide(2))).toMatchObject({ kind: 'result' });
  });

  it('an adapter that exits with requests in flight fails each of them as retryable, with its stderr', async () => {
    const connection = await connect('crash-mid-run');
    const settled = await Promise.allSettled([connection.send(decide(4)), connection.send(decide(POISON)), connection.send(decide(6))]);
    const failures = settled.filter((outcome) => outcome.status === 'rejected').map(failureOf);
    expect(failures.length).toBeGreaterThanOrEqual(1);
    for (const failure of failures) {
      expect(failure.retryable).toBe(true);
      expect(failure.error).toBeInstanceOf(TargetError);
      expect(failure.error).toMatchObject({ diagnostic: 'targetCrashed', details: { stderr: expect.stringContaining('segmentation fault while deciding domid 13') } });
    }
    expect(connection.incident).toMatchObject({ kind: 'crash', exitCode: 139, killedByXvc: false });
  });

  it('stops an adapter that does not answer stop: the stop request times out, the process is killed, stop settles', async () => {
    const connection = await connect('hang');
    void connection.send(decide(POISON), 60_000).catch(() => undefined);
    await connection.stop(1_000);
    await connection.stop(1_000);
    expect(await survivorsOf([connection.pid!])).toEqual([]);
    expect(connection.usable).toBe(false);
    expect(connection.inFlight).toBe(0);
  });
});
