import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { busyboxGate } from '../../test-support/machine-tools.ts';
import { GUEST_MARKER_PREFIX, GuestMarkerName } from './guest-markers.ts';
import { DEFAULT_INIT_TIMING, initScript, INITRAMFS_LAYOUT } from './init-script.ts';

const busybox = await busyboxGate();

describe('initScript', () => {
  const script = initScript();

  it('prints every marker through /dev/kmsg and powers off', () => {
    expect(script).toContain(`echo "<2>${GUEST_MARKER_PREFIX}$*" > /dev/kmsg`);
    for (const name of Object.values(GuestMarkerName)) expect(script, name).toMatch(new RegExp(`mark ${name}\\b`));
    expect(script).toContain('poweroff -f');
    expect(script).toContain(`/${INITRAMFS_LAYOUT.core}`);
    expect(script).toContain(`${DEFAULT_INIT_TIMING.driverOkPolls}`);
  });

  it.skipIf(!busybox.runs)(busybox.title('is valid shell for busybox'), () => {
    busybox.require();
    execFileSync(busybox.binary!, ['sh', '-n'], { input: script, timeout: 10_000 });
    expect(() => execFileSync(busybox.binary!, ['sh', '-n'], { input: `${script}\nif then\n`, timeout: 10_000, stdio: 'pipe' })).toThrow();
  });
});
