/** Target metadata of an adapter, from its `start` answer (untrusted text: rendered as text only). */
import type { TargetMetadata } from '../target-metadata.ts';
import { PROTOCOL_VERSION, type AdapterRole, type StartResult } from './protocol-messages.ts';

/** Metadata recorded with every result of an exec target. */
export function execMetadata(spec: string, argv: readonly string[], role: AdapterRole, started: StartResult): TargetMetadata {
  const { implementation } = started;
  const parts = [`written in ${implementation.language}`];
  if (implementation.homepage) parts.push(`homepage ${implementation.homepage}`);
  if (started.specVersions.length > 0) parts.push(`spec versions ${started.specVersions.join(', ')}`);
  if (started.mechanisms.length > 0) parts.push(`mechanisms ${started.mechanisms.join(', ')}`);
  return {
    spec,
    kind: 'exec',
    role,
    implementation: implementation.name,
    version: implementation.version,
    capturedBy: `exec adapter speaking ${started.protocol || PROTOCOL_VERSION}`,
    commandLine: [...argv],
    description: parts.join('; '),
    // What a frontend says it reads: its mechanism matrix judges these and checks it ignores the rest.
    ...(role === 'frontend' && { mechanisms: [...started.mechanisms] }),
  };
}
