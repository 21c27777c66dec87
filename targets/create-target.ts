/**
 * Opens a target from its parsed spec. The one place that knows which module implements which kind
 * of target; suites call only this.
 */
import type { DeviceTarget } from './device-target.ts';
import type { FrontendTarget } from './frontend-target.ts';
import type { TargetSpec } from './target-spec.ts';
import { TargetError } from './device-target.ts';

/** Opens a device target (the reference device model, a dump, a QEMU, an adapter). */
export async function openDeviceTarget(target: TargetSpec, adapter: AdapterSettings = {}): Promise<DeviceTarget> {
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
      const { createExecDeviceTarget } = await import('./exec.ts');
      return createExecDeviceTarget(target.argv, {
        spec: target.spec,
        ...(adapter.strictProtocol !== undefined && { strictProtocol: adapter.strictProtocol }),
        ...(adapter.env !== undefined && { env: adapter.env }),
      });
    }
    default:
      throw new TargetError('targetUnavailable', `${target.spec} cannot serve as a device target`);
  }
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
      const { frontends } = await import('../reference-impl/frontend/index.ts');
      const { builtinFrontendTarget } = await import('./builtin-frontend.ts');
      const name = target.kind === 'reference' ? 'reference' : target.model;
      const frontend = (frontends as Readonly<Record<string, (typeof frontends)['reference']>>)[name];
      if (!frontend) throw new TargetError('targetUnavailable', `${target.spec}: no built-in frontend '${name}'`);
      return builtinFrontendTarget(target.spec, frontend, target.kind);
    }
    default:
      throw new TargetError('targetUnavailable', `${target.spec} cannot serve as a frontend target`);
  }
}
