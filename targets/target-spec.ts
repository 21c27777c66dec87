/**
 * Parsing of target specs (`reference`, `model:NAME`, `dump:PATH`, `qemu:DEVICE[,props]`,
 * `guest:DEVICE[,props]`, `exec:COMMAND ARGS...`) into what a suite needs to know before creating the target.
 */
import { XvcError } from '../core/xvc-error.ts';
import { linuxVersions } from '../reference-impl/frontend/index.ts';

/** A parsed target spec. */
export type TargetSpec =
  | { kind: 'reference'; spec: string; roles: ('device' | 'frontend')[] }
  | { kind: 'model'; spec: string; roles: ['frontend']; model: string }
  | { kind: 'dump'; spec: string; roles: ['device']; path: string }
  | { kind: 'qemu'; spec: string; roles: ['device']; device: string }
  /** A real guest kernel's driver under QEMU (`guest:DEVICE[,props][@pcie][@legacy]`, or `guest:all`); `device` is the rest of the spec. */
  | { kind: 'guest'; spec: string; roles: ['driver']; device: string }
  | { kind: 'exec'; spec: string; roles: ('device' | 'frontend')[]; argv: string[] };

/** A target spec the user wrote that cannot be used; exit code 2. */
export class TargetSpecError extends XvcError<'badTargetSpec'> {
  constructor(
    readonly spec: string,
    message: string,
  ) {
    super('badTargetSpec', `bad target '${spec}': ${message}`, { spec });
  }
}

/** The models of real Linux kernels, in the order the default run lists them. */
export const builtinModels: readonly string[] = linuxVersions.map((version) => version.name);

/** Extra frontends that are not Linux models: ones that trust a backend-written mechanism. */
export const builtinFrontendModels: readonly string[] = [...builtinModels, 'trusts-vendor-data', 'trusts-device-register', 'trusts-new-capability'];

/**
 * Splits an `exec:` command into an argument vector. Whitespace separates arguments; single or double
 * quotes group. No shell is involved, so nothing is expanded.
 */
export function splitCommand(command: string): string[] {
  const argv: string[] = [];
  let current = '';
  let quote: '"' | "'" | undefined;
  let started = false;
  for (const character of command) {
    if (quote) {
      if (character === quote) quote = undefined;
      else current += character;
    } else if (character === '"' || character === "'") {
      quote = character;
      started = true;
    } else if (/\s/.test(character)) {
      if (started) argv.push(current);
      current = '';
      started = false;
    } else {
      current += character;
      started = true;
    }
  }
  if (quote) throw new TargetSpecError(command, 'unterminated quote');
  if (started) argv.push(current);
  return argv;
}

/** Parses one target spec; throws {@link TargetSpecError} with a message a user can act on. */
export function parseTargetSpec(spec: string): TargetSpec {
  if (spec === 'reference') return { kind: 'reference', spec, roles: ['device', 'frontend'] };
  const colon = spec.indexOf(':');
  if (colon < 0) throw new TargetSpecError(spec, 'expected reference, model:NAME, dump:PATH, qemu:DEVICE, guest:DEVICE or exec:COMMAND');
  const kind = spec.slice(0, colon);
  const rest = spec.slice(colon + 1);
  if (rest.trim() === '') throw new TargetSpecError(spec, `nothing after '${kind}:'`);
  switch (kind) {
    case 'model':
      if (!builtinFrontendModels.includes(rest)) {
        throw new TargetSpecError(spec, `unknown model '${rest}' (known: ${builtinFrontendModels.join(', ')})`);
      }
      return { kind: 'model', spec, roles: ['frontend'], model: rest };
    case 'dump':
      return { kind: 'dump', spec, roles: ['device'], path: rest };
    case 'qemu':
      return { kind: 'qemu', spec, roles: ['device'], device: rest };
    case 'guest':
      return { kind: 'guest', spec, roles: ['driver'], device: rest };
    case 'exec': {
      const argv = splitCommand(rest);
      if (argv.length === 0) throw new TargetSpecError(spec, 'empty command');
      return { kind: 'exec', spec, roles: ['device', 'frontend'], argv };
    }
    default:
      throw new TargetSpecError(spec, `unknown target kind '${kind}'`);
  }
}
