/**
 * spec/mechanisms.yaml as generated/ts/mechanisms.ts emits it, so that the discovery registry takes
 * every mechanism id and writer from the spec rather than from code.
 */
import { mechanismById, mechanisms, type MechanismId, type MechanismRecord } from '../../generated/ts/mechanisms.ts';

export type { MechanismId, MechanismRecord };

/** Every mechanism of spec/mechanisms.yaml, in file order. */
export function mechanismCatalogue(): readonly MechanismRecord[] {
  return mechanisms;
}

/** True when `id` names a catalogued mechanism. */
export function isMechanismId(id: string): id is MechanismId {
  return mechanismById.has(id as MechanismId);
}

/** The catalogue entry of mechanism `id`. */
export function mechanismEntry(id: MechanismId): MechanismRecord {
  // The generated map holds every MechanismId, so the lookup cannot miss.
  return mechanismById.get(id)!;
}
