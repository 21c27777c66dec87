import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AdapterConnection } from './adapter-connection.ts';
import { execSettings } from './exec-options.ts';

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
});
