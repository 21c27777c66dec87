/** Every built-in frontend, by registry name (the names `model:` and `reference` targets use). */
import type { Frontend } from './frontend.ts';
import { createLinuxFrontend } from './linux/linux-model.ts';
import { linux2026, linux62, linux65, linux72 } from './linux/linux-versions.ts';
import { referenceFrontend } from './reference-frontend.ts';
import { createTrustingFrontend } from './trusting-frontend.ts';

/** Names of the built-in frontends. */
export type FrontendName =
  | 'reference'
  | 'linux-6.2'
  | 'linux-6.5'
  | 'linux-2026'
  | 'linux-7.2'
  | 'trusts-vendor-data'
  | 'trusts-device-register'
  | 'trusts-new-capability';

/** The built-in frontends. */
export const frontends: Readonly<Record<FrontendName, Frontend>> = Object.freeze({
  reference: referenceFrontend,
  'linux-6.2': createLinuxFrontend(linux62),
  'linux-6.5': createLinuxFrontend(linux65),
  'linux-2026': createLinuxFrontend(linux2026),
  'linux-7.2': createLinuxFrontend(linux72),
  'trusts-vendor-data': createTrustingFrontend('trusts-vendor-data', 'vendor-data-capability'),
  'trusts-device-register': createTrustingFrontend('trusts-device-register', 'device-register'),
  'trusts-new-capability': createTrustingFrontend('trusts-new-capability', 'virtio-capability'),
});
