import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Scenario } from '../../generated/ts/schema/scenario.ts';
import { survivorsOf } from '../../test-support/processes.ts';
import { TargetError } from '../device-target.ts';
import { ExecClient } from './exec-client.ts';
import { execSettings, type ExecTargetOptions } from './exec-options.ts';

const fixtures = fileURLToPath(new URL('../../fixtures/adapters/', import.meta.url));
const fake = (name: string): string[] => [process.execPath, `${fixtures}${name}.mjs`];
const POISON = 13;
const scratch = mkdtempSync(join(tmpdir(), 'xvc-exec-client-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const open: ExecClient[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((client) => client.close()));
});

async function client(name: string, options: ExecTargetOptions = {}): Promise<ExecClient> {
  const argv = fake(name);
  const opened = await ExecClient.open(argv, 'frontend', execSettings(argv, options));
  open.push(opened);
  return opened;
}

function scenario(domid: number): Scenario {
  return {
    guest: { domid, initialDomain: false, type: 'hvm', arch: 'x86', kernel: { xenVirtio: true, forceGrant: false }, bootParameters: [] },
    devices: [{ id: `net-${domid}`, transport: 'mmio', deviceFeatures: '0x0', backendControlled: [] }],
    channels: {},
  };
}

const decide = (target: ExecClient, domid: number) => target.request({ cmd: 'decide', scenario: scenario(domid) });

describe('ExecClient', () => {
  it('refuses an empty command before starting anything', async () => {
    await expect(ExecClient.open([], 'frontend', execSettings([]))).rejects.toMatchObject({ diagnostic: 'targetUnavailable', message: 'exec: empty command' });
    await expect(ExecClient.open([''], 'frontend', execSettings(['']))).rejects.toBeInstanceOf(TargetError);
  });

  it("keeps no more requests outstanding than its own window, when the adapter declares none", async () => {
    // The adapter dies at a fourth outstanding request and does not say so in its start answer.
    const target = await client('max-in-flight', { window: 3, env: { XVC_TEST_LIMIT: '3', XVC_TEST_DECLARE: '0' } });
    const answers = await Promise.all(Array.from({ length: 20 }, (_, index) => decide(target, index + 20)));
    expect(answers.every((answer) => answer.kind === 'result')).toBe(true);
    expect(target.restartCount).toBe(0);
    expect(target.started.maxInFlight).toBeUndefined();
  });

  it('settles every request when the adapter crashes and may not be restarted: answered, or failed', async () => {
    const target = await client('crash-mid-run', { maxRestarts: 0 });
    const domids = Array.from({ length: 20 }, (_, index) => index + 4);
    const settled = await Promise.allSettled(domids.map((domid) => decide(target, domid)));
    expect(settled[domids.indexOf(POISON)]!.status).toBe('rejected');
    for (const outcome of settled) if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(TargetError);
    // Nothing more is started: every later request fails at once, saying why.
    await expect(decide(target, 40)).rejects.toMatchObject({ diagnostic: 'targetUnavailable', message: expect.stringContaining('not restarted again (limit 0)') });
    expect(target.restartCount).toBe(0);
    expect(target.stderrText()).toContain('segmentation fault while deciding domid 13');
  });

  it('gives the error of a restart that fails to the request waiting for it, with the stderr of the failed start', async () => {
    const marker = join(scratch, 'start-once-1');
    const target = await client('start-once', { maxRestarts: 3, env: { XVC_TEST_MARKER: marker } });
    expect((await decide(target, 1)).kind).toBe('result');
    const poisoned = (await decide(target, POISON).catch((error: unknown) => error)) as TargetError;
    // The crash was retried on a fresh process, whose start failed: that is the poison's error.
    expect(poisoned).toBeInstanceOf(TargetError);
    expect(poisoned.message).toMatch(/exited with code 2/);
    expect(poisoned.details.stderr).toContain('licence server unreachable');
    expect(target.incidents.map((incident) => incident.kind)).toEqual(['crash', 'start-failure']);
  });

  it('after the last restart, names the first failure and the last one in every error', async () => {
    const marker = join(scratch, 'start-once-2');
    const target = await client('start-once', { maxRestarts: 2, env: { XVC_TEST_MARKER: marker } });
    const errors: TargetError[] = [];
    for (let attempt = 0; attempt < 4; attempt++) errors.push((await decide(target, POISON).catch((error: unknown) => error)) as TargetError);
    expect(target.restartCount).toBe(2);
    const last = errors.at(-1)!;
    expect(last.message).toMatch(/failed 3 times; not restarted again \(limit 2\); first failure: .*exited with code 139.*; last: .*exited with code 2/);
    // The stderr a user needs is the first failure's.
    expect(last.details.stderr).toContain('crashed deciding domid 13');
    expect(target.errors.map((recorded) => recorded.error)).toEqual(errors);
  });

  it('on close, fails the requests still waiting, refuses later ones, and leaves no adapter behind', async () => {
    const target = await client('hang');
    const pid = target.current!.pid!;
    const stuck = decide(target, POISON).catch((error: unknown) => error);
    const queued = decide(target, 1).catch((error: unknown) => error);
    await target.close();
    await target.close();
    expect(await stuck).toBeInstanceOf(TargetError);
    expect(await queued).toBeInstanceOf(TargetError);
    await expect(decide(target, 2)).rejects.toMatchObject({ diagnostic: 'targetUnavailable', message: expect.stringContaining('is closed') });
    expect(await survivorsOf([pid])).toEqual([]);
  });
});
