/**
 * Public entry of conformance/layouts/: what other layers use of it (`xvc replay` re-runs one case of
 * a layouts record from it).
 */
export { codecTarget, layoutCases } from './layout-cases.ts';
