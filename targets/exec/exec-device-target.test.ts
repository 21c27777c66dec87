import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createExecDeviceTarget, type ExecDeviceTarget } from './exec-device-target.ts';

const adapter = fileURLToPath(new URL('../../fixtures/adapters/device-crashy.mjs', import.meta.url));
const open: ExecDeviceTarget[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((target) => target.close()));
});

async function start(): Promise<ExecDeviceTarget> {
  const target = await createExecDeviceTarget([process.execPath, adapter], { strictProtocol: true });
  open.push(target);
  return target;
}

describe('exec device target', () => {
  it('exposes what list-functions declares: live, writable, BARs', async () => {
    const target = await start();
    expect(target.metadata).toMatchObject({ kind: 'exec', role: 'device', implementation: 'crashy device' });
    const [fn] = await target.functions();
    expect(fn).toMatchObject({ id: 'f0', live: true, configSize: 256, truncated: false });
    expect(await fn!.barSizes!()).toEqual([4096, 0, 0, 0, 0, 0]);
    expect(await fn!.readBar!(0, 0x20, 4)).toBe(0x20);
    expect(await fn!.readConfig(4, 4)).toBe(0x07060504);
    await fn!.writeConfig!(4, 2, 0x0406);
    expect(await fn!.readConfig(4, 4)).toBe(0x07060406);
  });

  it('a read that kills the adapter fails after one retry; the next reads are answered', async () => {
    const target = await start();
    const [fn] = await target.functions();
    await expect(fn!.readConfig(0xfc, 4)).rejects.toMatchObject({ diagnostic: 'targetCrashed', message: expect.stringContaining('exited with code 134') });
    expect(await fn!.readConfig(0, 2)).toBe(0x0100);
    // One restart for the retry, one (lazily, for the next read) after the retry crashed too.
    expect(target.restartCount).toBe(2);
  });

  it('a write that kills the adapter is not repeated', async () => {
    const target = await start();
    const [fn] = await target.functions();
    await expect(fn!.writeConfig!(0x10, 4, 0xdead)).rejects.toMatchObject({ diagnostic: 'targetCrashed' });
    expect(await fn!.readConfig(0x10, 1)).toBe(0x10);
    expect(target.restartCount).toBe(1);
  });

  it('a snapshot touching the fatal offset fails as a whole with a recorded error', async () => {
    const target = await start();
    const [fn] = await target.functions();
    await expect(fn!.snapshot()).rejects.toMatchObject({ diagnostic: 'targetCrashed' });
    expect(target.errors.map((recorded) => recorded.cmd)).toContain('config-read');
  });

  it('a value wider than the read is a protocol violation of the adapter, not a device value', async () => {
    const wide = fileURLToPath(new URL('../../fixtures/adapters/device-wide-value.mjs', import.meta.url));
    const target = await createExecDeviceTarget([process.execPath, wide]);
    open.push(target);
    const [fn] = await target.functions();
    await expect(fn!.readConfig(0, 1)).rejects.toMatchObject({
      diagnostic: 'targetProtocol',
      message: expect.stringContaining("value 131071 (0x1ffff) for a 1-byte read of function 'f0' at offset 0x0 does not fit in 1 byte(s)"),
    });
    expect(await fn!.readConfig(0, 4)).toBe(0x10001af4);
  });
});
