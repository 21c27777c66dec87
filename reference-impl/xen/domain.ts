/** A Xen domain as the models need it: its id, whether it is the initial domain, its type and arch. */
import { isValidDomid } from './domid.ts';

/** Xen guest type. PVH is an HVM-type domain for Linux's predicates, and Arm has no PV guests. */
export type GuestType = 'pv' | 'pvh' | 'hvm';

/** Architecture of the guest. */
export type GuestArch = 'x86' | 'arm';

/** One domain. */
export interface Domain {
  readonly domid: number;
  /** Started with SIF_INITDOMAIN (normally dom0). */
  readonly initial: boolean;
  readonly type: GuestType;
  readonly arch: GuestArch;
}

/** Why a domain description is not a domain Xen could run. */
export type DomainProblem =
  | { code: 'reserved-domid'; domid: number }
  | { code: 'pv-on-arm' };

/** Checks a domain description; problems are data. */
export function checkDomain(domain: Domain): DomainProblem[] {
  const problems: DomainProblem[] = [];
  if (!isValidDomid(domain.domid)) problems.push({ code: 'reserved-domid', domid: domain.domid });
  if (domain.arch === 'arm' && domain.type === 'pv') problems.push({ code: 'pv-on-arm' });
  return problems;
}

/** Linux's xen_pv_domain(): true only for x86 PV guests (PVH counts as HVM). */
export function isPvDomain(domain: Pick<Domain, 'type' | 'arch'>): boolean {
  return domain.arch === 'x86' && domain.type === 'pv';
}
