import { describe, expect, it } from 'vitest';
import { adapterEnvironment, execSettings } from './exec-options.ts';

describe('exec options', () => {
  it('pass PATH, the named variables and the explicit ones, nothing else', () => {
    const source = { PATH: '/bin', HOME: '/home/u', SECRET: 's', LD_LIBRARY_PATH: '/opt/lib' };
    expect(adapterEnvironment({ env: {}, passEnv: [] }, source)).toEqual({ PATH: '/bin' });
    expect(adapterEnvironment({ env: { MODE: 'fast' }, passEnv: ['LD_LIBRARY_PATH', 'UNSET'] }, source)).toEqual({
      PATH: '/bin',
      LD_LIBRARY_PATH: '/opt/lib',
      MODE: 'fast',
    });
  });

  it('let an explicit PATH win, and fall back to a standard PATH when xvc has none', () => {
    expect(adapterEnvironment({ env: { PATH: '/adapter/bin' }, passEnv: [] }, { PATH: '/bin' })).toEqual({ PATH: '/adapter/bin' });
    expect(adapterEnvironment({ env: {}, passEnv: [] }, {}).PATH).toBe('/usr/local/bin:/usr/bin:/bin');
  });

  it('fill in defaults and keep limits sane', () => {
    const settings = execSettings(['./adapter', '--fast'], { window: 0, maxRestarts: -3 });
    expect(settings.spec).toBe('exec:./adapter --fast');
    expect(settings.window).toBe(1);
    expect(settings.maxRestarts).toBe(0);
    expect(settings.strictProtocol).toBe(false);
    expect(settings.requestTimeoutMs).toBeGreaterThan(0);
  });
});
