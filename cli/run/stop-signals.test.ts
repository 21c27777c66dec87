import { afterEach, describe, expect, it } from 'vitest';
import { handleStopSignals, type StopState } from './stop-signals.ts';

let state: StopState | undefined;
afterEach(() => state?.dispose());

describe('handleStopSignals', () => {
  it('aborts on the first signal and says so, with 128 + the signal number as exit code', () => {
    const said: string[] = [];
    state = handleStopSignals((text) => said.push(text), () => {
      throw new Error('must not exit on the first signal');
    });
    expect(state.signal.aborted).toBe(false);
    process.emit('SIGTERM', 'SIGTERM');
    expect(state.signal.aborted).toBe(true);
    expect(state.received()).toBe('SIGTERM');
    expect(state.exitCode()).toBe(143);
    expect(said.join('')).toContain('SIGTERM: stopping after the check in flight');
  });

  it('exits at once on a second signal', () => {
    const exits: number[] = [];
    state = handleStopSignals(() => {}, (code) => exits.push(code));
    process.emit('SIGINT', 'SIGINT');
    process.emit('SIGINT', 'SIGINT');
    expect(exits).toEqual([130]);
  });

  it('leaves no handler behind once disposed', () => {
    const before = process.listenerCount('SIGINT');
    const local = handleStopSignals(() => {});
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    local.dispose();
    expect(process.listenerCount('SIGINT')).toBe(before);
  });
});
