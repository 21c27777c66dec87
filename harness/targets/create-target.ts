/**
 * Opens a target from its parsed spec. The one place that knows which module implements which kind
 * of target; suites call only this.
 */
import type { DeviceTarget } from './device-target.ts';
import type { FrontendTarget } from './frontend-target.ts';
import type { TargetSpec } from './target-spec.ts';
import { TargetError } from './device-target.ts';

/** Opens a device target (the reference device model, a dump, a QEMU, an adapter). */
export async function openDeviceTarget(target: TargetSpec): Promise<DeviceTarget> {
  switch (target.kind) {
    case 'reference': {
      const { createReferenceDeviceTarget } = await import('./reference-device.ts');
      return createReferenceDeviceTarget();
    }
    case 'dump': {
      const { createDumpTarget } = await import('./dump.ts');
      return createDumpTarget(target.path);
    }
    case 'qemu': {
      const { createQemuTarget } = await import('./qemu.ts');
      return createQemuTarget(target.spec);
    }
    case 'exec': {
      const { createExecDeviceTarget } = await loadExecModule(target.spec);
      return createExecDeviceTarget(target.argv);
    }
    default:
      throw new TargetError('target-unavailable', `${target.spec} cannot serve as a device target`);
  }
}

/** The exec adapter module, loaded by URL so this file does not depend on it at type level. */
async function loadExecModule(spec: string): Promise<{ createExecDeviceTarget(argv: string[]): Promise<DeviceTarget> | DeviceTarget }> {
  let module: { createExecDeviceTarget?: (argv: string[]) => Promise<DeviceTarget> | DeviceTarget };
  try {
    module = (await import(/* @vite-ignore */ new URL('./exec.ts', import.meta.url).href)) as typeof module;
  } catch (error) {
    throw new TargetError('target-unavailable', `${spec}: exec adapters are not available in this build (${(error as Error).message})`);
  }
  const create = module.createExecDeviceTarget;
  if (typeof create !== 'function') throw new TargetError('target-unavailable', `${spec}: the exec module does not offer device targets`);
  return { createExecDeviceTarget: create };
}

/** How exec: adapters are started, from the run plan. */
export interface AdapterSettings {
  strictProtocol?: boolean;
  env?: Record<string, string>;
}

/** Opens a frontend target (the reference frontend, a model, an adapter). */
export async function openFrontendTarget(target: TargetSpec, adapter: AdapterSettings = {}): Promise<FrontendTarget> {
  switch (target.kind) {
    case 'exec': {
      const { createExecFrontendTarget } = await import('./exec.ts');
      return createExecFrontendTarget(target.argv, {
        spec: target.spec,
        ...(adapter.strictProtocol !== undefined && { strictProtocol: adapter.strictProtocol }),
        ...(adapter.env !== undefined && { env: adapter.env }),
      });
    }
    case 'reference':
    case 'model': {
      const { frontends } = await import('../../reference-impl/frontend/registry.ts');
      const { builtinFrontendTarget } = await import('./builtin-frontend.ts');
      const name = target.kind === 'reference' ? 'reference' : target.model;
      const frontend = (frontends as Readonly<Record<string, (typeof frontends)['reference']>>)[name];
      if (!frontend) throw new TargetError('target-unavailable', `${target.spec}: no built-in frontend '${name}'`);
      return builtinFrontendTarget(target.spec, frontend, target.kind);
    }
    default:
      throw new TargetError('target-unavailable', `${target.spec} cannot serve as a frontend target`);
  }
}
