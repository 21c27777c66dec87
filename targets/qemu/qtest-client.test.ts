import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { survivorsOf } from '../../test-support/processes.ts';
import { toolGate } from '../../test-support/required-tool.ts';
import { TargetError } from '../device-target.ts';
import { resolveQemuBinary } from './qemu-binary.ts';
import { DEFAULT_QTEST_LIMITS, parseQtestNumber, QtestClient, qtestHex, type QtestLimits } from './qtest-client.ts';

const fake = fileURLToPath(new URL('../../fixtures/qtest/fake-qtest.mjs', import.meta.url));
const qemu = await resolveQemuBinary().catch(() => undefined);
const qemuGate = toolGate('qemu-system-x86_64', qemu !== undefined, 'install qemu-system-x86 or set XVC_QEMU');

const open: QtestClient[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((client) => client.close()));
});

/** Starts the fake qtest peer in `mode`; limits default to xvc's own, which no healthy peer comes near. */
async function start(mode = 'plain', limits: Partial<QtestLimits> = {}): Promise<QtestClient> {
  const client = await QtestClient.start(process.execPath, [fake, mode], { ...DEFAULT_QTEST_LIMITS, ...limits });
  open.push(client);
  return client;
}

/** The address `readl ADDR` of the fake answers with: the address itself, 16 hex digits. */
const echoed = (address: number): string => `0x${address.toString(16).padStart(16, '0')}`;

describe('QtestClient against a fake qtest peer', () => {
  it('starts once the peer answers the endianness question, and matches pipelined replies to commands in order', async () => {
    const client = await start();
    expect(client.pid).toBeGreaterThan(0);
    const addresses = Array.from({ length: 50 }, (_, index) => 0x1000 + 4 * index);
    expect(await client.commands(addresses.map((address) => `readl ${qtestHex(address)}`))).toEqual(addresses.map(echoed));
    expect(await client.command('outl 0xcf8 0x80000000')).toBe('');
  });

  it('reassembles replies that arrive a byte at a time', async () => {
    const client = await start('split');
    expect(await client.commands(['readl 0x10', 'readl 0x20', 'outl 0xcf8 0x0'])).toEqual([echoed(0x10), echoed(0x20), '']);
  });

  it('ignores interrupt notifications and blank lines between replies', async () => {
    const client = await start('irq-chatter');
    expect(await client.commands(['readl 0x10', 'readl 0x20'])).toEqual([echoed(0x10), echoed(0x20)]);
  });

  it('rejects a command QEMU answers with FAIL, and only that one', async () => {
    const client = await start();
    const [bad, good] = await Promise.allSettled([client.command('bogus 1'), client.command('readl 0x40')]);
    expect(bad).toMatchObject({ status: 'rejected', reason: { diagnostic: 'targetProtocol', message: "qtest 'bogus 1' failed: FAIL Unknown command 'bogus'" } });
    expect(good).toEqual({ status: 'fulfilled', value: echoed(0x40) });
    expect(await client.command('readl 0x44')).toBe(echoed(0x44));
  });

  it('refuses a command holding a line break before sending it, which would desynchronise the replies', async () => {
    const client = await start();
    await expect(client.command('readl 0x10\nbogus')).rejects.toMatchObject({ diagnostic: 'targetProtocol', message: expect.stringContaining('line break') });
    await expect(client.command('readl 0x10\r')).rejects.toBeInstanceOf(TargetError);
    expect(await client.command('readl 0x48')).toBe(echoed(0x48));
  });

  it('takes a reply line of half a MiB, and fails everything on a line longer than 1 MiB', async () => {
    const client = await start();
    expect((await client.command('read 0x0 0x40000')).length).toBe(2 + 2 * 0x40000);
    const [long, behind] = await Promise.allSettled([client.command('read 0x0 0x90000'), client.command('readl 0x10')]);
    expect(long).toMatchObject({ status: 'rejected', reason: { diagnostic: 'targetProtocol', message: expect.stringContaining('longer than 1048576 characters') } });
    expect(behind).toMatchObject({ status: 'rejected', reason: { diagnostic: 'targetProtocol' } });
    await expect(client.command('readl 0x10')).rejects.toMatchObject({ diagnostic: 'targetProtocol' });
  });

  it('fails everything on output without end or newline', async () => {
    const client = await start();
    await expect(client.command('flood')).rejects.toMatchObject({ diagnostic: 'targetProtocol', message: expect.stringContaining('longer than') });
    expect(await survivorsOf([client.pid!])).toEqual([]);
  });

  it('fails everything on a reply no command asked for', async () => {
    const client = await start();
    // `twice` is answered by two lines in one write: the second answers nothing.
    expect(await client.command('twice')).toBe('');
    await expect(client.command('readl 0x20')).rejects.toMatchObject({ diagnostic: 'targetProtocol', message: "unexpected qtest output 'OK'" });
  });

  it('fails every pending and later command as crashed, with QEMU\'s stderr, when it dies', async () => {
    const client = await start();
    const settled = await Promise.allSettled([client.command('crash'), client.command('readl 0x10'), client.command('readl 0x20')]);
    for (const outcome of settled) {
      expect(outcome).toMatchObject({ status: 'rejected', reason: { diagnostic: 'targetCrashed', message: expect.stringContaining('code 134'), details: { stderr: expect.stringContaining('assertion failed') } } });
    }
    await expect(client.command('readl 0x30')).rejects.toMatchObject({ diagnostic: 'targetCrashed' });
  });

  it('times a stuck command out, fails the commands queued behind it, and kills QEMU', async () => {
    // No other command is in flight while the short limit runs, so a slow machine cannot trip it.
    const client = await start('plain', { commandMs: 1_000 });
    const settled = await Promise.allSettled([client.command('hang'), client.command('readl 0x10')]);
    expect(settled[0]).toMatchObject({ status: 'rejected', reason: { diagnostic: 'targetTimeout', message: "QEMU did not answer 'hang' within 1000 ms" } });
    expect(settled[1]).toMatchObject({ status: 'rejected', reason: { diagnostic: 'targetTimeout' } });
    expect(await survivorsOf([client.pid!])).toEqual([]);
    await expect(client.command('readl 0x20')).rejects.toMatchObject({ diagnostic: 'targetTimeout' });
  });

  it('kills a QEMU that outlives its lifetime, whatever it is doing then', async () => {
    // Whether the limit strikes during the start or during the stuck command depends on the machine; it strikes.
    const failure = await QtestClient.start(process.execPath, [fake, 'plain'], { ...DEFAULT_QTEST_LIMITS, lifetimeMs: 1_000 })
      .then(async (client) => {
        open.push(client);
        return client.command('hang');
      })
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ diagnostic: 'targetTimeout', message: 'QEMU ran longer than 1000 ms; killed' });
  });

  it('keeps the last 16 KiB of stderr, the last line included', async () => {
    const client = await start('stderr-flood');
    await client.command('crash').catch(() => undefined);
    expect(client.stderr.length).toBeLessThanOrEqual(16_384);
    expect(client.stderr).toContain('fake qemu: the last warning');
    expect(client.stderr).not.toContain('warning 0000 ');
  });

  it('closes idempotently: QEMU is gone and later commands fail', async () => {
    const client = await start();
    const pid = client.pid!;
    await client.close();
    await client.close();
    expect(await survivorsOf([pid])).toEqual([]);
    await expect(client.command('readl 0x10')).rejects.toMatchObject({ diagnostic: 'targetCrashed', message: 'QEMU was stopped' });
  });
});

describe('QtestClient.start', () => {
  it('reports a QEMU that exits before answering as crashed, with its stderr', async () => {
    const failure = await QtestClient.start(process.execPath, [fake, 'exit-at-start']).catch((error: unknown) => error);
    expect(failure).toMatchObject({ diagnostic: 'targetCrashed', details: { stderr: expect.stringContaining('no such device') } });
  });

  it('refuses a peer that is not little-endian, and stops it', async () => {
    const failure = await QtestClient.start(process.execPath, [fake, 'big-endian']).catch((error: unknown) => error);
    expect(failure).toMatchObject({ diagnostic: 'targetProtocol', message: "unexpected qtest endianness reply 'big'" });
  });

  it('reports a binary that cannot be started as unavailable, and settles', async () => {
    const failure = await QtestClient.start('/nonexistent/qemu-system-x86_64', []).catch((error: unknown) => error);
    expect(failure).toMatchObject({ diagnostic: 'targetUnavailable', message: expect.stringContaining('cannot start QEMU') });
  });
});

describe.skipIf(!qemuGate.runs)(qemuGate.title('QtestClient against the installed QEMU'), () => {
  it('reads the q35 host bridge at 00:00.0 through 0xCF8/0xCFC: Intel (0x8086) device 0x29c0', async () => {
    qemuGate.require();
    const args = ['-machine', 'q35', '-accel', 'tcg', '-S', '-display', 'none', '-nodefaults', '-no-user-config', '-qtest', 'stdio', '-qtest-log', '/dev/null'];
    const client = await QtestClient.start(qemu!, args);
    open.push(client);
    const [, id] = await client.commands(['outl 0xcf8 0x80000000', 'inl 0xcfc']);
    expect(parseQtestNumber(id!)).toBe(0x29c0_8086);
  });
});

describe('qtest numbers', () => {
  it('formats non-negative integers and 64-bit values as unsigned hex', () => {
    expect(qtestHex(0)).toBe('0x0');
    expect(qtestHex(0xcf8)).toBe('0xcf8');
    expect(qtestHex(2 ** 40 + 1)).toBe('0x10000000001');
    expect(qtestHex(-1n)).toBe('0xffffffffffffffff');
    for (const bad of [-1, 1.5, Number.MAX_SAFE_INTEGER + 1]) expect(() => qtestHex(bad), String(bad)).toThrow(RangeError);
  });

  it('parses 0x and 1 to 16 hex digits, and calls anything else a protocol error', () => {
    expect(parseQtestNumber('0x29c08086')).toBe(0x29c0_8086);
    expect(parseQtestNumber('0x0000000000000010')).toBe(0x10);
    for (const bad of ['', '0x', '29c0', '0x12345678901234567', '0xzz', 'OK 0x1']) expect(() => parseQtestNumber(bad), bad).toThrow(expect.objectContaining({ diagnostic: 'targetProtocol' }));
  });
});
