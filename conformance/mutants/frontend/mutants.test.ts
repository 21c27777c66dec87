import { describe, expect, it } from 'vitest';
import { mechanisms } from '../../../generated/ts/mechanisms.ts';
import { decisionTableRows, frontends } from '../../../reference-impl/frontend/index.ts';
import { frontendProperties } from '../../frontend/properties.ts';
import { conformantSubject, frontendMutants, mutantFrontend } from './mutants.ts';

const reference = frontends.reference;
/** A decision without its reason, which is prose for reports. */
const verdictOf = ({ reason: _reason, ...decision }: { reason?: string }) => decision;
const trustedSources = mechanisms.filter((mechanism) => mechanism.trusted && mechanism.writer !== 'constant').map((mechanism) => mechanism.id);

describe('the frontend mutants', () => {
  it('have distinct names, one trusts-<id> per mechanism the backend writes, each killed by a known property', () => {
    const names = frontendMutants.map((mutant) => mutant.name);
    expect(new Set(names).size).toBe(names.length);
    for (const mechanism of mechanisms.filter((candidate) => candidate.writer === 'backend')) expect(names).toContain(`trusts-${mechanism.id}`);
    const killers = new Set<string>([...frontendProperties.map((property) => property.id), 'disagreeing-sources', 'ignores-undeclared']);
    for (const mutant of frontendMutants) expect(killers.has(mutant.killedBy), mutant.name).toBe(true);
  });

  it('declare the trusted sources a reference reads, plus what they trust, unless they lie about it', () => {
    expect([...conformantSubject.mechanisms].sort()).toEqual([...trustedSources].sort());
    expect(mutantFrontend('x', { trusts: ['device-register'] }).mechanisms).toContain('device-register');
    const undeclared = frontendMutants.find((mutant) => mutant.name === 'undeclared-xenstore')!;
    expect(undeclared.declared).not.toContain('xenstore');
    expect(mutantFrontend('x', undeclared.defects, undeclared.declared).mechanisms).toEqual(undeclared.declared);
  });
});

describe('mutantFrontend', () => {
  it('without defects decides as the reference frontend on every row of the decision table', () => {
    for (const row of decisionTableRows) expect(conformantSubject.decide(row.scenario).map(verdictOf), `row ${row.row}`).toEqual(reference.decide(row.scenario).map(verdictOf));
  });

  it('off by one: where the reference grants to a backend, grants to the next domid', () => {
    const offByOne = mutantFrontend('off-by-one', { offByOne: true });
    let granted = 0;
    for (const row of decisionTableRows) {
      const expected = reference.decide(row.scenario);
      const decided = offByOne.decide(row.scenario);
      expected.forEach((decision, index) => {
        if (decision.outcome !== 'grants') return;
        granted += 1;
        expect(decided[index], `row ${row.row}`).toMatchObject({ outcome: 'grants', backendDomid: decision.backendDomid! + 1 });
      });
    }
    expect(granted).toBeGreaterThan(0);
  });

  it('answers one decision per device, in device order, whatever it breaks', () => {
    for (const mutant of frontendMutants) {
      const frontend = mutantFrontend(mutant.name, mutant.defects, mutant.declared);
      for (const row of decisionTableRows) {
        expect(frontend.decide(row.scenario).map((decision) => decision.deviceId), `${mutant.name} row ${row.row}`).toEqual(row.scenario.devices.map((device) => device.id));
      }
    }
  });
});
