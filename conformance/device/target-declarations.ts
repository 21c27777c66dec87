/**
 * What each kind of device target declares about itself (checks/declarations.ts): the reference
 * device is xvc's model of a Xen grant backend; a QEMU device sits behind an IOMMU when it is built
 * with `iommu_platform=on` and is a grant backend when the spec says `grants=on`; an adapter says so
 * in its `start` answer (`specVersions`, `deviceUse`); a dump declares nothing.
 */
import type { DeviceTarget } from '../../targets/device-target.ts';
import type { StartResult } from '../../targets/exec.ts';
import { parseQemuDeviceSpec } from '../../targets/qemu.ts';
import type { TargetSpec } from '../../targets/target-spec.ts';
import { noDeclarations, type TargetDeclarations } from './checks/declarations.ts';

/** The QEMU property that makes a virtio device offer ACCESS_PLATFORM and expect an IOMMU in front of it. */
const IOMMU_PLATFORM_ON = 'iommu_platform=on';

function said(parts: string[], source: string): string {
  return parts.length === 0 ? `${source} declares neither grants nor an IOMMU` : `${source} declares ${parts.join(' and ')}`;
}

/** The declarations of the device target `spec`, opened as `target` (an adapter answers them in `start`). */
export function targetDeclarations(spec: TargetSpec, target?: DeviceTarget): TargetDeclarations {
  switch (spec.kind) {
    case 'reference':
      return { specVersions: [], grants: true, iommu: false, source: "the reference target (xvc's model of a Xen grant backend)" };
    case 'qemu': {
      const parsed = parseQemuDeviceSpec(spec.spec);
      if (parsed instanceof Error) return noDeclarations;
      const grants = parsed.grants === true;
      const iommu = parsed.props.includes(IOMMU_PLATFORM_ON);
      return { specVersions: [], grants, iommu, source: said([...(grants ? ['grants=on'] : []), ...(iommu ? [IOMMU_PLATFORM_ON] : [])], 'the qemu target spec') };
    }
    case 'exec': {
      const started = (target as { started?: StartResult } | undefined)?.started;
      if (started === undefined) return noDeclarations;
      const grants = started.deviceUse?.grants === true;
      const iommu = started.deviceUse?.iommu === true;
      return { specVersions: [...started.specVersions], grants, iommu, source: said([...(grants ? ['deviceUse.grants'] : []), ...(iommu ? ['deviceUse.iommu'] : [])], "the adapter's start answer") };
    }
    default:
      return { ...noDeclarations, source: `a ${spec.kind} target declares nothing` };
  }
}
