import { describe, expect, it } from 'vitest';
import { runsInCi, toolGate } from './required-tool.ts';

describe('runsInCi', () => {
  it('is true for the values CI services set, false when CI is unset, empty, false or 0', () => {
    expect(runsInCi({ CI: 'true' })).toBe(true);
    expect(runsInCi({ CI: '1' })).toBe(true);
    expect(runsInCi({})).toBe(false);
    expect(runsInCi({ CI: '' })).toBe(false);
    expect(runsInCi({ CI: 'false' })).toBe(false);
    expect(runsInCi({ CI: '0' })).toBe(false);
  });
});

describe('toolGate', () => {
  it('runs the tests, under their own title, when the tool is there', () => {
    const gate = toolGate('lspci', true, 'install pciutils', {});
    expect(gate.runs).toBe(true);
    expect(gate.title('agrees with lspci')).toBe('agrees with lspci');
    expect(() => gate.require()).not.toThrow();
  });

  it('outside CI, skips a missing tool under a title that names it and how to get it', () => {
    const gate = toolGate('lspci', false, 'install pciutils', {});
    expect(gate.runs).toBe(false);
    expect(gate.title('agrees with lspci')).toBe('agrees with lspci — SKIPPED: lspci is missing (install pciutils; CI fails instead of skipping)');
  });

  it('in CI, runs the tests of a missing tool so that they fail, with a message naming the tool', () => {
    const gate = toolGate('lspci', false, 'install pciutils', { CI: 'true' });
    expect(gate.runs).toBe(true);
    expect(gate.title('agrees with lspci')).toBe('agrees with lspci');
    expect(() => gate.require()).toThrow(/lspci is missing on this machine: install pciutils \(CI must have it/);
  });
});
