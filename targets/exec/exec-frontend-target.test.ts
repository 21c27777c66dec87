import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Scenario } from '../../generated/ts/schema/scenario.ts';
import { survivorsOf } from '../../test-support/processes.ts';
import { TargetError } from '../device-target.ts';
import { liveChildCount } from '../qemu/process-reaper.ts';
import { createExecFrontendTarget, type ExecFrontendTarget } from './exec-frontend-target.ts';
import type { ExecTargetOptions } from './exec-options.ts';

const fixtures = fileURLToPath(new URL('../../fixtures/adapters/', import.meta.url));
const fake = (name: string): string[] => [process.execPath, `${fixtures}${name}.mjs`];
const POISON = 13;

function scenario(domid: number): Scenario {
  return {
    guest: { domid, initialDomain: false, type: 'hvm', arch: 'x86', kernel: { xenVirtio: true, forceGrant: false }, bootParameters: [] },
    devices: [
      { id: `net-${domid}`, transport: 'mmio', deviceFeatures: '0x0', backendControlled: [] },
      { id: `blk-${domid}`, transport: 'mmio', deviceFeatures: '0x0', backendControlled: [] },
    ],
    channels: {},
  };
}

const open: ExecFrontendTarget[] = [];
async function start(name: string, options: ExecTargetOptions = {}): Promise<ExecFrontendTarget> {
  const target = await createExecFrontendTarget(fake(name), { requestTimeoutMs: 2000, ...options });
  open.push(target);
  return target;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((target) => target.close()));
});

/** Sends decide for domids 1..count at once (pipelined) and waits for every outcome. */
async function runSequence(target: ExecFrontendTarget, count = 10) {
  const domids = Array.from({ length: count }, (_, index) => index + 8);
  const settled = await Promise.allSettled(domids.map((domid) => target.decide(scenario(domid))));
  return domids.map((domid, index) => ({ domid, outcome: settled[index]! }));
}

/** Every request but the poison one got its own decisions back; returns the poison's error. */
function expectOnlyPoisonFailed(results: Awaited<ReturnType<typeof runSequence>>): TargetError {
  let poisonError: unknown;
  for (const { domid, outcome } of results) {
    if (domid === POISON) {
      expect(outcome.status).toBe('rejected');
      poisonError = (outcome as PromiseRejectedResult).reason;
    } else {
      expect(outcome.status, `domid ${domid}`).toBe('fulfilled');
      const decisions = (outcome as PromiseFulfilledResult<unknown>).value as { deviceId: string }[];
      expect(decisions.map((decision) => decision.deviceId)).toEqual([`net-${domid}`, `blk-${domid}`]);
    }
  }
  expect(poisonError).toBeInstanceOf(TargetError);
  return poisonError as TargetError;
}

describe('exec frontend target against misbehaving adapters', () => {
  it('works with a well-behaved adapter and records its metadata', async () => {
    const target = await start('well-behaved');
    expect(target.metadata).toMatchObject({ kind: 'exec', role: 'frontend', implementation: 'fake', version: '0' });
    expect(target.metadata.commandLine).toEqual(fake('well-behaved'));
    const results = await runSequence(target);
    expect(results.every(({ outcome }) => outcome.status === 'fulfilled')).toBe(true);
    expect(target.restartCount).toBe(0);
    expect(target.errors).toEqual([]);
  });

  it('a hanging adapter: the stuck request times out, the adapter is restarted and every other request is answered', async () => {
    // The limit every request of this file has: the ones answered must beat it on a loaded machine too.
    const target = await start('hang');
    const error = expectOnlyPoisonFailed(await runSequence(target));
    expect(error.diagnostic).toBe('targetTimeout');
    expect(error.message).toMatch(/did not answer decide \(seq \d+\) within 2000 ms/);
    expect(target.restartCount).toBeGreaterThanOrEqual(1);
    expect(target.errors.map((recorded) => recorded.error)).toContain(error);
  });

  it('an adapter crashing mid-run: the crash is recorded with its stderr and later requests still get answers', async () => {
    const target = await start('crash-mid-run');
    const error = expectOnlyPoisonFailed(await runSequence(target));
    expect(error.diagnostic).toBe('targetCrashed');
    expect(error.message).toMatch(/exited with code 139/);
    expect(error.details.stderr).toContain('segmentation fault while deciding domid 13');
    const after = await target.decide(scenario(40));
    expect(after).toHaveLength(2);
  });

  it('an adapter printing garbage: a protocol error quoting the line', async () => {
    const target = await start('garbage');
    const error = expectOnlyPoisonFailed(await runSequence(target));
    expect(error.diagnostic).toBe('targetProtocol');
    expect(error.message).toContain('not JSON: "Segmentation fault (core dumped)"');
  });

  it('an adapter answering with a wrong sequence number: a protocol error naming the seq', async () => {
    const target = await start('wrong-seq');
    const error = expectOnlyPoisonFailed(await runSequence(target));
    expect(error.diagnostic).toBe('targetProtocol');
    expect(error.message).toMatch(/answered seq \d+, which matches no outstanding request/);
  });

  it('an adapter flooding stdout: cut off at the line cap, killed, and the run goes on', async () => {
    const target = await start('flood', { maxLineBytes: 1 << 20 });
    const error = expectOnlyPoisonFailed(await runSequence(target));
    expect(error.diagnostic).toBe('targetProtocol');
    expect(error.message).toContain(`longer than ${1 << 20} bytes`);
  });

  it('an adapter splitting messages across writes works', async () => {
    const target = await start('split-writes');
    const results = await runSequence(target, 6);
    expect(results.every(({ outcome }) => outcome.status === 'fulfilled')).toBe(true);
    expect(target.restartCount).toBe(0);
    expect(target.errors).toEqual([]);
  });

  it('an adapter answering out of order works: answers are matched by seq', async () => {
    const target = await start('out-of-order');
    const results = await runSequence(target, 12);
    for (const { domid, outcome } of results) {
      expect(outcome.status).toBe('fulfilled');
      expect((outcome as PromiseFulfilledResult<{ deviceId: string }[]>).value[0]!.deviceId).toBe(`net-${domid}`);
    }
    expect(target.restartCount).toBe(0);
    expect(target.errors).toEqual([]);
  });

  it('an adapter exiting at start: creating the target fails with its stderr', async () => {
    const failure = await createExecFrontendTarget(fake('exit-at-start')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TargetError);
    expect((failure as TargetError).diagnostic).toBe('targetCrashed');
    expect((failure as TargetError).message).toMatch(/exited with code 2 before answering start/);
    expect((failure as TargetError).details.stderr).toContain('cannot open /etc/fake-frontend.conf');
  });

  it('a command that does not exist: targetUnavailable', async () => {
    const failure = await createExecFrontendTarget(['/nonexistent/xvc-adapter']).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TargetError);
    expect((failure as TargetError).diagnostic).toBe('targetUnavailable');
    expect((failure as TargetError).message).toContain('ENOENT');
  });

  it('an adapter speaking another protocol version is refused at the handshake', async () => {
    const failure = await createExecFrontendTarget(fake('wrong-version')).catch((error: unknown) => error);
    expect((failure as TargetError).diagnostic).toBe('targetProtocol');
    expect((failure as TargetError).message).toContain("speaks protocol 'xvc-adapter/9', xvc speaks 'xvc-adapter/1'");
  });

  it('extra fields are ignored by default and rejected with strictProtocol', async () => {
    const lax = await start('extra-fields');
    const decisions = await lax.decide(scenario(1));
    expect(decisions).toEqual([
      { deviceId: 'net-1', outcome: 'no-grants' },
      { deviceId: 'blk-1', outcome: 'no-grants' },
    ]);
    const strict = await start('extra-fields', { strictProtocol: true });
    const error = (await strict.decide(scenario(1)).catch((failure: unknown) => failure)) as TargetError;
    expect(error.diagnostic).toBe('targetProtocol');
    expect(error.message).toContain("/result/decisions/0: unknown field 'confidence'");
  });

  it("nothing from xvc's environment leaks into the adapter unless passed", async () => {
    process.env.XVC_TEST_SECRET = 'leak';
    try {
      const bare = await start('env-echo');
      expect(bare.metadata.implementation).toBe('PATH');
      const passed = await start('env-echo', { env: { ADAPTER_MODE: 'x' }, passEnv: ['XVC_TEST_SECRET'] });
      expect(passed.metadata.implementation).toBe('ADAPTER_MODE,PATH,XVC_TEST_SECRET');
    } finally {
      delete process.env.XVC_TEST_SECRET;
    }
  });

  it('gives up after maxRestarts and then fails requests at once', async () => {
    const target = await start('crash-mid-run', { maxRestarts: 1 });
    await expect(target.decide(scenario(POISON))).rejects.toMatchObject({ diagnostic: 'targetCrashed' });
    await expect(target.decide(scenario(POISON))).rejects.toMatchObject({ diagnostic: 'targetUnavailable' });
    await expect(target.decide(scenario(1))).rejects.toThrow(/not restarted again/);
  });

  it('close reaps the adapter and later requests fail cleanly', async () => {
    const before = liveChildCount();
    const target = await createExecFrontendTarget(fake('hang'));
    expect(liveChildCount()).toBe(before + 1);
    await target.close();
    expect(liveChildCount()).toBe(before);
    await expect(target.decide(scenario(1))).rejects.toMatchObject({ diagnostic: 'targetUnavailable' });
  });
  it('an adapter that never answers start: creating the target times out', async () => {
    // Nothing has to beat this limit (the adapter never answers), so it can be short; not below a second.
    const failure = await createExecFrontendTarget(fake('silent'), { startTimeoutMs: 1_000 }).catch((error: unknown) => error);
    expect((failure as TargetError).diagnostic).toBe('targetTimeout');
    expect((failure as TargetError).message).toMatch(/did not answer start \(seq 0\) within 1000 ms/);
  });

  it('an adapter left open is killed when xvc itself exits', async () => {
    const driver = `${fixtures}open-then-exit.ts`;
    const pid = Number(execFileSync(process.execPath, ['--import', 'tsx', driver], { encoding: 'utf8', timeout: 30_000 }).trim());
    expect(Number.isSafeInteger(pid) && pid > 0).toBe(true);
    expect(await survivorsOf([pid])).toEqual([]);
  });
  it("never has more requests outstanding than the adapter's maxInFlight", async () => {
    const target = await start('max-in-flight');
    const results = await runSequence(target, 12);
    expect(results.every(({ outcome }) => outcome.status === 'fulfilled')).toBe(true);
    // A crash would be hidden by the one-at-a-time retries; the restart count shows it.
    expect(target.restartCount).toBe(0);
    expect(target.errors).toEqual([]);
  });
  it('a scenario that breaks the schema is refused before it reaches the adapter (targetInput)', async () => {
    const target = await start('well-behaved');
    const broken = { ...scenario(1), guest: { ...scenario(1).guest, domid: 70_000 } };
    await expect(target.decide(broken)).rejects.toMatchObject({ diagnostic: 'targetInput', message: expect.stringContaining('/scenario/guest/domid') });
    expect(await target.decide(scenario(2))).toHaveLength(2);
    expect(target.restartCount).toBe(0);
  });
  it('error answers, skips and decisions out of device order: an error with stderr, a TargetSkip, a broken promise', async () => {
    const target = await start('error-skip-mismatch');
    const error = (await target.decide(scenario(13)).catch((failure: unknown) => failure)) as TargetError;
    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toContain("answered decide with error 'internal': lookup failed");
    expect(error.details.stderr).toContain('table lookup failed');
    expect(await target.decide(scenario(14))).toEqual({ skip: true, reason: 'mechanism not implemented' });
    await expect(target.decide(scenario(15))).rejects.toMatchObject({ diagnostic: 'targetProtocol', message: expect.stringContaining('expected one per device in order [net-15, blk-15]') });
    expect(await target.decide(scenario(16))).toHaveLength(2);
    expect(target.restartCount).toBe(0);
  });

  it('a crash the retry recovers from is still recorded: exit status, stderr tail, what was retried', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xvc-crash-once-'));
    try {
      const target = await start('crash-once', { env: { XVC_TEST_MARKER: join(dir, 'crashed') } });
      const results = await runSequence(target, 8);
      // Every request, the poison one included, was answered: the retry on a fresh process worked.
      expect(results.every(({ outcome }) => outcome.status === 'fulfilled')).toBe(true);
      expect(target.errors).toEqual([]);
      expect(target.incidents).toHaveLength(1);
      const [incident] = target.incidents;
      expect(incident).toMatchObject({ kind: 'crash', code: 'XVC4001', exitCode: 134, signal: null, killedByXvc: false });
      expect(incident!.stderrTail).toContain('assertion failed in decide (domid 13)');
      expect(incident!.inFlight.map((request) => request.cmd)).toContain('decide');
      expect(incident!.retried).toBe(incident!.inFlight.length);
      expect(incident!.recovered).toBe(incident!.retried);
      expect(target.takeIncidents()).toEqual([incident]);
      expect(target.takeIncidents()).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('after the restart budget is spent, every error still names the first cause', async () => {
    const target = await start('garbage', { maxRestarts: 1 });
    for (let attempt = 0; attempt < 3; attempt++) await target.decide(scenario(POISON)).catch(() => undefined);
    const error = (await target.decide(scenario(1)).catch((failure: unknown) => failure)) as TargetError;
    expect(error.message).toMatch(/not restarted again \(limit 1\); first failure: .*wrote a line that is not JSON: "Segmentation fault \(core dumped\)"/);
    expect(target.incidents.map((incident) => incident.kind)).toEqual(['protocol', 'protocol']);
  });

  it("kills what the adapter forked: a grandchild holding its stdout dies with it, at a crash and at close", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xvc-grandchild-'));
    const pidFile = join(dir, 'pids');
    try {
      const target = await start('forks-grandchild', { env: { XVC_TEST_PID_FILE: pidFile } });
      await expect(target.decide(scenario(POISON))).rejects.toMatchObject({ diagnostic: 'targetCrashed' });
      expect(await target.decide(scenario(1))).toHaveLength(2);
      await target.close();
      const pids = readFileSync(pidFile, 'utf8').trim().split('\n').map(Number);
      // The first adapter, the one that crashed twice (the retry), and the one that answered.
      expect(pids.length).toBeGreaterThanOrEqual(2);
      expect(await survivorsOf(pids)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a refusal at start carries everything the adapter wrote to stderr before it', async () => {
    const failure = (await createExecFrontendTarget(fake('stderr-then-wrong-version')).catch((error: unknown) => error)) as TargetError;
    expect(failure.diagnostic).toBe('targetProtocol');
    expect(failure.details.stderr).toContain('fake: loading module 0 of 200');
    expect(failure.details.stderr).toContain('fake: only xvc-adapter/9 is built in');
  });
});
