/**
 * The `guest:` target spec: `guest:DEVICE[,prop=value...][@pcie][@legacy]`.
 *
 * - `DEVICE` and `prop=value` are QEMU's device type and properties, as for `qemu:`
 *   (`guest:virtio-net-pci,disable-legacy=on,packed=on`).
 * - Target options share the property list: `kernel=PATH`, `modules=DIR` (that kernel's
 *   /lib/modules/RELEASE), `initrd=PATH` (a prebuilt initramfs, used as it is), `append=ARGS` (more
 *   kernel arguments, space separated), `timeout=SECONDS` (bound on the whole boot). Paths cannot
 *   contain `,` or `@`.
 * - `@pcie` puts the device behind a PCI Express root port; `@legacy` makes the guest's virtio-pci
 *   driver use the legacy interface (`virtio_pci.force_legacy=1`) on a transitional device.
 * - `guest:all` is the sweep (guest-sweep.ts).
 */
import { TargetError } from '../device-target.ts';

/** Where the device sits. */
export type GuestPlacement = 'root-bus' | 'root-port';

/** A parsed `guest:` spec. */
export interface GuestDeviceSpec {
  /** The spec as written, with the `guest:` prefix. */
  readonly spec: string;
  /** QEMU device type. */
  readonly device: string;
  /** QEMU device properties, in order. */
  readonly props: readonly string[];
  readonly placement: GuestPlacement;
  /** The guest driver is told to use the legacy interface. */
  readonly legacyDriver: boolean;
  readonly kernel?: string;
  readonly modules?: string;
  readonly initrd?: string;
  /** Extra kernel arguments. */
  readonly append: readonly string[];
  /** Bound on the boot, in seconds. */
  readonly timeoutSeconds?: number;
}

const DEVICE_NAME = /^[a-z0-9][a-z0-9._-]*$/;
const PROP = /^[a-zA-Z0-9_.-]+=[^,@\s]*$/;
/** Properties xvc sets to place the device. */
const RESERVED_PROPS = new Set(['bus', 'addr', 'id']);
const TARGET_OPTIONS = new Set(['kernel', 'modules', 'initrd', 'append', 'timeout']);
/** Kernel arguments a user may add: no quotes or control characters reach QEMU's -append. */
const KERNEL_ARGUMENT = /^[A-Za-z0-9_.:/=+-]+$/;
/** Longest boot a spec may ask for. */
const MAX_TIMEOUT_SECONDS = 3600;

/** Parses a `guest:` spec; a bad spec is a `TargetError('targetInput')`, returned, never thrown. */
export function parseGuestDeviceSpec(spec: string): GuestDeviceSpec | TargetError {
  const body = spec.startsWith('guest:') ? spec.slice('guest:'.length) : spec;
  const [main = '', ...flags] = body.split('@');
  let placement: GuestPlacement = 'root-bus';
  let legacyDriver = false;
  for (const flag of flags) {
    if (flag === 'pcie') placement = 'root-port';
    else if (flag === 'legacy') legacyDriver = true;
    else return new TargetError('targetInput', `unknown guest target flag '@${flag}' in '${spec}' (known: @pcie, @legacy)`);
  }
  // append= may hold spaces: split on commas only.
  const [device = '', ...parts] = main.split(',');
  if (!DEVICE_NAME.test(device)) return new TargetError('targetInput', `'${device}' is not a QEMU device name (in '${spec}')`);
  const props: string[] = [];
  const options: Record<string, string> = {};
  for (const part of parts) {
    const equals = part.indexOf('=');
    const key = equals > 0 ? part.slice(0, equals) : '';
    if (TARGET_OPTIONS.has(key)) {
      if (key in options) return new TargetError('targetInput', `option '${key}' given twice in '${spec}'`);
      options[key] = part.slice(equals + 1);
      continue;
    }
    if (!PROP.test(part)) return new TargetError('targetInput', `'${part}' is not a key=value device property (in '${spec}')`);
    if (RESERVED_PROPS.has(key)) return new TargetError('targetInput', `property '${key}' is set by xvc to place the device; remove it from '${spec}'`);
    props.push(part);
  }
  for (const key of ['kernel', 'modules', 'initrd'] as const) {
    if (options[key] === '') return new TargetError('targetInput', `${key}= needs a path (in '${spec}')`);
  }
  const append = (options.append ?? '').split(/\s+/).filter(Boolean);
  const badArgument = append.find((argument) => !KERNEL_ARGUMENT.test(argument));
  if (badArgument !== undefined) return new TargetError('targetInput', `kernel argument '${badArgument}' has characters xvc does not pass on (in '${spec}')`);
  let timeoutSeconds: number | undefined;
  if (options.timeout !== undefined) {
    timeoutSeconds = /^\d+$/.test(options.timeout) ? Number(options.timeout) : Number.NaN;
    if (!(timeoutSeconds >= 1 && timeoutSeconds <= MAX_TIMEOUT_SECONDS)) return new TargetError('targetInput', `timeout= must be whole seconds from 1 to ${MAX_TIMEOUT_SECONDS} (in '${spec}')`);
  }
  return {
    spec: spec.startsWith('guest:') ? spec : `guest:${spec}`,
    device,
    props,
    placement,
    legacyDriver,
    ...(options.kernel !== undefined && { kernel: options.kernel }),
    ...(options.modules !== undefined && { modules: options.modules }),
    ...(options.initrd !== undefined && { initrd: options.initrd }),
    append,
    ...(timeoutSeconds !== undefined && { timeoutSeconds }),
  };
}

/** Writes a spec (without target options) in its canonical form. */
export function formatGuestDeviceSpec(spec: { device: string; props: readonly string[]; placement: GuestPlacement; legacyDriver: boolean }): string {
  return `guest:${[spec.device, ...spec.props].join(',')}${spec.placement === 'root-port' ? '@pcie' : ''}${spec.legacyDriver ? '@legacy' : ''}`;
}
