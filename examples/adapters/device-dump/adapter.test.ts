import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createDumpTarget } from '../../../targets/dump.ts';
import { createExecDeviceTarget, type ExecDeviceTarget } from '../../../targets/exec.ts';

const adapter = fileURLToPath(new URL('./adapter.py', import.meta.url));
const dump = (name: string) => fileURLToPath(new URL(`../../../fixtures/dumps/${name}`, import.meta.url));
const open: ExecDeviceTarget[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((target) => target.close()));
});

async function serve(path: string): Promise<ExecDeviceTarget> {
  const target = await createExecDeviceTarget(['python3', adapter, path], { strictProtocol: true });
  open.push(target);
  return target;
}

describe('device-dump example adapter', () => {
  for (const name of ['qemu-7.2/blk-modern.cfg256.lspci', 'qemu-7.2/blk-modern.cfg256.bin', 'pciutils-tests/pciutils-tests_virtio-fs-shm.txt']) {
    it(`serves exactly the bytes the dump target reads from ${name}`, async () => {
      const target = await serve(dump(name));
      expect(target.metadata).toMatchObject({ kind: 'exec', role: 'device' });
      const served = await target.functions();
      const direct = await (await createDumpTarget(dump(name))).functions();
      expect(served.length).toBe(direct.length);
      for (const [index, fn] of served.entries()) {
        expect(fn.live).toBe(false);
        expect(fn.writeConfig).toBeUndefined();
        expect(fn.configSize).toBe(direct[index]!.configSize);
        expect(Buffer.from(await fn.snapshot()).toString('hex')).toBe(Buffer.from(await direct[index]!.snapshot()).toString('hex'));
      }
      expect(target.errors).toEqual([]);
    });
  }

  it('reads little-endian registers and reports reads beyond the dump as adapter errors', async () => {
    const target = await serve(dump('qemu-7.2/blk-modern.cfg256.lspci'));
    const [fn] = await target.functions();
    expect(fn!.id).toBe('00:03.0');
    expect(await fn!.readConfig(0, 2)).toBe(0x1af4);
    expect(await fn!.readConfig(0, 4)).toBe(0x10421af4);
    await expect(fn!.readConfig(254, 4)).rejects.toMatchObject({ diagnostic: 'targetProtocol', message: expect.stringContaining('outside the 256 bytes') });
  });
});
