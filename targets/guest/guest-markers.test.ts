import { describe, expect, it } from 'vitest';
import type { GuestPhase } from '../driver-trace.ts';
import { GUEST_MARKER_PREFIX, GuestMarkerName, phaseOfMarker } from './guest-markers.ts';

/** The phases of a guest's life in order (targets/driver-trace.ts). */
const phases: GuestPhase[] = ['boot', 'probe', 'exercise', 'unbind', 'rebind', 'settled', 'shutdown'];

describe('guest markers', () => {
  it('are distinct single words, so a marker line reads back as name and detail', () => {
    const names = Object.values(GuestMarkerName);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name, name).toMatch(/^[a-z][a-z-]*$/);
    expect(GUEST_MARKER_PREFIX).toBe('xvc-guest: ');
  });

  it('move a successful boot through every phase after boot, in order, one marker each', () => {
    const successful = [GuestMarkerName.load, GuestMarkerName.ready, GuestMarkerName.exercised, GuestMarkerName.unbound, GuestMarkerName.rebound, GuestMarkerName.done];
    expect(successful.map((name) => phaseOfMarker[name])).toEqual(phases.slice(1));
  });

  it('leave the phase as it is on the markers of a failure (stuck, insmod-failed, no-device, no-driver)', () => {
    for (const name of [GuestMarkerName.stuck, GuestMarkerName.insmodFailed, GuestMarkerName.noDevice, GuestMarkerName.noDriver]) expect(phaseOfMarker[name], name).toBeUndefined();
  });
});
