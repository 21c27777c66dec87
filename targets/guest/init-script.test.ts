import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { GUEST_MARKER_PREFIX, GuestMarkerName } from './guest-markers.ts';
import { DEFAULT_INIT_TIMING, initScript, INITRAMFS_LAYOUT } from './init-script.ts';

describe('initScript', () => {
  const script = initScript();

  it('prints every marker through /dev/kmsg and powers off', () => {
    expect(script).toContain(`echo "<2>${GUEST_MARKER_PREFIX}$*" > /dev/kmsg`);
    for (const name of Object.values(GuestMarkerName)) expect(script, name).toMatch(new RegExp(`mark ${name}\\b`));
    expect(script).toContain('poweroff -f');
    expect(script).toContain(`/${INITRAMFS_LAYOUT.core}`);
    expect(script).toContain(`${DEFAULT_INIT_TIMING.driverOkPolls}`);
  });

  it('is valid shell for busybox, when busybox is installed', (context) => {
    try {
      execFileSync('busybox', ['sh', '-n'], { input: script, timeout: 10_000 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return context.skip('no busybox on this machine');
      throw error;
    }
    expect(() => execFileSync('busybox', ['sh', '-n'], { input: `${script}\nif then\n`, timeout: 10_000, stdio: 'pipe' })).toThrow();
  });
});
