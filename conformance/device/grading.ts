/**
 * How a device check's finding becomes a verdict: from the catalogue, never by the check. A violation
 * of a MUST or MUST NOT is a failure; of a SHOULD, SHOULD NOT, or behaviour only a non-normative note
 * asks for (level NOTE), a warning. The verdict names the statement it rests on. A requirement added
 * in a later spec version than every version the target declares does not apply to it.
 */
import { compareVersions } from '../../reference-impl/virtio/index.ts';
import { requirementCatalogue, type RequirementId } from '../requirement-catalogue.ts';
import type { CheckFinding, CheckVerdict } from './checks/verdict.ts';

/** Levels whose violation fails the device; every other level only warns. */
const failingLevels: ReadonlySet<string> = new Set(['MUST', 'MUST NOT']);

/** Whether breaking a statement of `level` is a failure (else a warning). */
export function violationFails(level: string): boolean {
  return failingLevels.has(level);
}

function newest(versions: readonly string[]): string | undefined {
  return versions.reduce<string | undefined>((best, version) => (best === undefined || compareVersions(version, best) > 0 ? version : best), undefined);
}

/**
 * The spec version the device checks are written for when a target declares none: the newest
 * version that introduced a device requirement of the catalogue.
 */
export const CHECK_SPEC_VERSION: string =
  newest(
    [...requirementCatalogue().values()]
      .filter((requirement) => requirement.side === 'device' && requirement.spec === 'virtio')
      .flatMap((requirement) => (requirement.since === undefined ? [] : [requirement.since])),
  ) ?? '1.0';

/** The version a device is judged against: the newest one the target declares, else {@link CHECK_SPEC_VERSION}. */
export function judgedVersion(declared: readonly string[]): string {
  return newest(declared) ?? CHECK_SPEC_VERSION;
}

/**
 * Why `ids` do not apply to a target that declares `declared` (every id was added after the newest
 * declared version), or undefined when they apply. A target that declares nothing is judged against
 * the checks' own version, to which every catalogued requirement applies.
 */
export function versionGate(ids: readonly RequirementId[], declared: readonly string[]): string | undefined {
  const version = newest(declared);
  if (version === undefined) return undefined;
  const catalogue = requirementCatalogue();
  const sinces = ids.map((id) => catalogue.get(id)?.since);
  if (sinces.some((since) => since === undefined || compareVersions(since, version) <= 0)) return undefined;
  return `the target declares virtio ${declared.join(', ')}; ${ids.join(', ')} came with virtio ${sinces.join(', ')}`;
}

/**
 * Grades a finding of a row with requirement ids `ids`. A violation rests on the id the finding
 * names (it must be one of `ids`) or else on the row's first id; its level decides fail or warning.
 */
export function grade(finding: CheckFinding, ids: readonly [RequirementId, ...RequirementId[]]): CheckVerdict {
  if (finding.outcome !== 'fail') return finding;
  const id = finding.requirement !== undefined && ids.includes(finding.requirement) ? finding.requirement : ids[0];
  const requirement = requirementCatalogue().get(id);
  if (requirement === undefined) return finding;
  const statement = { id, level: requirement.level, ref: requirement.ref, text: requirement.text };
  return { ...finding, outcome: violationFails(requirement.level) ? 'fail' : 'warning', requirement: id, statement };
}
