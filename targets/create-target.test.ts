import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../generated/ts/schema/scenario.ts';
import { openFrontendTarget } from './create-target.ts';
import { TargetError } from './device-target.ts';
import { parseTargetSpec } from './target-spec.ts';

const fixtures = fileURLToPath(new URL('../fixtures/adapters/', import.meta.url));
const spec = (name: string) => parseTargetSpec(`exec:${process.execPath} ${fixtures}${name}.mjs`);
const scenario: Scenario = {
  guest: { domid: 1, initialDomain: false, type: 'hvm', arch: 'x86', kernel: { xenVirtio: true, forceGrant: false }, bootParameters: [] },
  devices: [{ id: 'net', transport: 'mmio', deviceFeatures: '0x0', backendControlled: [] }],
  channels: {},
};

// The run's adapter settings (--adapter-env, --strict-protocol) reach a frontend adapter through here.
describe('openFrontendTarget honours the adapter settings of the run', () => {
  it('passes --adapter-env variables, and nothing else of xvc’s environment but PATH', async () => {
    const target = await openFrontendTarget(spec('env-echo'), { env: { XVC_ADAPTER_MODE: 'strict' } });
    try {
      expect(target.metadata.implementation).toBe('PATH,XVC_ADAPTER_MODE');
    } finally {
      await target.close();
    }
  });

  it('rejects fields the protocol does not define with --strict-protocol, and ignores them without', async () => {
    const strict = await openFrontendTarget(spec('extra-fields'), { strictProtocol: true });
    const lax = await openFrontendTarget(spec('extra-fields'), {});
    try {
      const error = (await strict.decide(scenario).catch((failure: unknown) => failure)) as TargetError;
      expect(error).toBeInstanceOf(TargetError);
      expect(error.message).toContain("unknown field 'confidence'");
      expect(await lax.decide(scenario)).toEqual([{ deviceId: 'net', outcome: 'no-grants' }]);
    } finally {
      await Promise.all([strict.close(), lax.close()]);
    }
  });
});
