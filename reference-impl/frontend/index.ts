/**
 * Public entry of reference-impl/frontend/: what other layers use of it. Modules elsewhere import from here,
 * never from the files behind it (test-support/architecture checks this).
 */
export { type Frontend } from './frontend.ts';
export { missingGrantFeatures, parseFeatures } from './features.ts';
export { mapForDecision } from './grant-mapper.ts';
export { linuxVersions } from './linux/linux-versions.ts';
export { frontends, type FrontendName } from './registry.ts';
export { decisionTableRows, type DecisionTableRow } from './linux/decision-table.ts';
