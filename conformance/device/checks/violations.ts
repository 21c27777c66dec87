/**
 * Every way a device check can find a function in breach of a statement, as a discriminated union
 * on `code` with the values that show it. The message a report prints is rendered from these fields
 * here and nowhere else, so tools can match on codes and fields instead of parsing text. Every field
 * is JSON data: 64-bit values (feature sets, 64-bit offsets) are `0x…` text.
 */

/** A feature bit by name and number, as a violation reports it. */
export interface FeatureRef {
  name: string;
  bit: number;
}

/** A broken rule, with what is needed to explain it. */
export type DeviceViolation =
  // Identity (VS13 §4.1.2)
  | { code: 'header-type'; at: number; actual: number; expected: number }
  | { code: 'vendor-id'; at: number; actual: number; expected: number }
  | { code: 'device-id'; at: number; actual: number; modernMin: number; modernMax: number }
  | { code: 'modern-device-id-range'; at: number; actual: number; min: number; max: number }
  | { code: 'modern-revision'; at: number; actual: number; min: number }
  | { code: 'modern-subsystem-id'; at: number; actual: number; min: number }
  | { code: 'transitional-revision'; at: number; actual: number; expected: number }
  | { code: 'transitional-subsystem-id'; at: number; actual: number; expected: number }
  | { code: 'transitional-device-id-range'; at: number; actual: number; min: number; max: number; legacySignature: boolean }
  // Capability list and virtio structure capabilities (VS13 §4.1.4)
  | { code: 'capability-list-absent'; statusAt: number; status: number }
  | { code: 'capability-list-malformed'; issues: { code: string; offset: number; message: string }[] }
  | { code: 'cap-len-short'; capability: number; structure: string; capLen: number; minimum: number }
  | { code: 'capability-missing'; structure: string; found: string[]; ignored: string[] }
  | { code: 'offset-unaligned'; capability: number; structure: string; offset: number; alignment: number }
  | { code: 'common-length-short'; capability: number; length: number; minimum: number; covers: string }
  | { code: 'notify-multiplier'; capability: number; multiplier: number; notificationData: boolean }
  | { code: 'notify-length-short'; capability: number; length: number; minimum: number }
  | { code: 'shared-memory-id-duplicate'; first: number; second: number; id: number }
  | { code: 'vendor-data-vendor-id'; capability: number; vendorId: number }
  | { code: 'vendor-data-size'; capability: number; capLen: number; multiple: number }
  | { code: 'msix-table-size'; capability: number; vectors: number; min: number; max: number }
  | { code: 'legacy-bar0-not-io'; bar0: number }
  | { code: 'legacy-bar0-empty' }
  // BARs (PCI-DEV-01, PCI-DEV-34)
  | { code: 'bar-upper-half'; capability: number; bar: number }
  | { code: 'bar-unimplemented'; capability: number; bar: number }
  | { code: 'structure-past-bar'; capability: number; bar: number; start: string; end: string; size: number }
  // Reset and queues (VS13 §4.1.4.3.1)
  | { code: 'reset-incomplete'; status: number; polls: number }
  | { code: 'queue-enable-after-reset'; queue: number; value: number; wasEnabled: boolean }
  | { code: 'queue-size-unavailable'; select: number; queues: number; size: number; selectReadBack: number; previous?: number }
  | { code: 'queue-size-not-power-of-two'; queue: number; size: number }
  | { code: 'notify-out-of-bounds'; queue: number; notifyOff: number; multiplier: number; width: number; length: number; capability: number }
  | { code: 'half-write-disturbs'; queue: number; half: 'low' | 'high'; value: number; high: number; low: number }
  | { code: 'queue-reset-after-reset'; queue: number; value: number }
  | { code: 'queue-reset-after-enable'; queue: number; value: number }
  | { code: 'queue-reset-incomplete'; queue: number; polls: number }
  | { code: 'queue-enable-after-queue-reset'; queue: number; value: number }
  | { code: 'admin-queue-index'; index: number; queues: number }
  | { code: 'admin-queue-count'; index: number; count: number; limit: number }
  // Feature negotiation (VS13 §2.2, §4.1.4.3.1, ch. 6)
  | { code: 'feature-window-unstable'; select: number; first: number; second: number; before?: number }
  | { code: 'driver-feature-missing'; written: string; readBack: string; missing: string }
  | { code: 'features-ok-refused'; features: string; status: number }
  | { code: 'features-ok-unoffered'; bit: number; status: number }
  | { code: 'renegotiation-refused'; features: string; status: number }
  | { code: 'reserved-features-offered'; bits: number[]; judgedVersion: string }
  | { code: 'feature-missing'; feature: FeatureRef; offered: string; why: string }
  | { code: 'feature-offered'; feature: FeatureRef; offered: string; why: string }
  | { code: 'features-together'; first: FeatureRef; second: FeatureRef; offered: string }
  // MSI-X vectors (VS13 §4.1.5.1.2.1)
  | { code: 'vector-after-reset'; field: 'config_msix_vector' | 'queue_msix_vector'; queue?: number; value: number; expected: number }
  | { code: 'vector-readback'; event: string; field: 'config_msix_vector' | 'queue_msix_vector'; vector: number; readBack: number; tableSize: number }
  | { code: 'vector-refusal'; vector: number; readBack: number; tableSize: number; expected: number }
  // ISR, generation, device configuration (VS13 §4.1.4.5, §4.1.4.3.1, §2.5)
  | { code: 'isr-queue-bit'; bar: number; at: number; value: number }
  | { code: 'isr-not-cleared'; bar: number; at: number; first: number; second: number }
  | { code: 'config-generation-stuck'; generation: number }
  | { code: 'device-config-read-breaks'; length: number; status: number; expected: number }
  // Vendor data (VS13 §4.1.4.8)
  | { code: 'vendor-data-read-side-effect'; where: string; before: number; after: number }
  // PCI configuration access window (VS13 §4.1.4.9.1)
  | { code: 'window-bar-readback'; capability: number; written: number; readBack: number }
  | { code: 'window-read-mismatch'; bar: number; width: number; offset: number; dataAt: number; through: number; direct: number; structure: string }
  | { code: 'window-write-lost'; bar: number; width: number; offset: number; field: string; value: number; readBack: number }
  | { code: 'window-write-misrouted'; bar: number; width: number; offset: number; structure: string; value: number; landed: string; before: number; after: number }
  // Legacy interface (VS13 §4.1.4.10, §4.1.4.11)
  | { code: 'legacy-config-offset'; msix: boolean; legacyStart: number; byte: number; legacy: number; modern: number }
  | { code: 'legacy-access-width'; at: number; dword: number; words: number; bytes: number }
  | { code: 'legacy-not-quiet'; bar: number; at: number; value: number }
  | { code: 'legacy-writes-honoured'; value: number }
  // virtio-iommu (VS13 §5.13)
  | { code: 'page-size-mask-zero'; bar: number; at: number }
  | { code: 'bypass-range'; bar: number; at: number; value: number }
  | { code: 'bypass-reset'; bar: number; at: number; before: number; after: number };

/** The codes, for tools that list them. */
export type DeviceViolationCode = DeviceViolation['code'];

function hex(value: number | bigint): string {
  return `0x${value.toString(16)}`;
}

function feature(ref: FeatureRef): string {
  return `${ref.name} (bit ${ref.bit})`;
}

/** The message a report shows for `violation`. */
export function violationMessage(violation: DeviceViolation): string {
  const v = violation;
  switch (v.code) {
    case 'header-type':
      return `header type at ${hex(v.at)} is ${v.actual}, not a type-${v.expected} endpoint header`;
    case 'vendor-id':
      return `vendor ID at ${hex(v.at)} is ${hex(v.actual)}, not ${hex(v.expected)}`;
    case 'device-id':
      return `device ID at ${hex(v.at)} is ${hex(v.actual)}: neither 0x1040 plus a virtio device ID (${hex(v.modernMin)}..${hex(v.modernMax)}) nor a transitional ID`;
    case 'modern-device-id-range':
      return `device ID ${hex(v.actual)} at ${hex(v.at)} of a function without the legacy I/O BAR0 (so not transitional) is outside ${hex(v.min)}..${hex(v.max)}`;
    case 'modern-revision':
      return `revision ID at ${hex(v.at)} is ${v.actual}, below ${v.min}`;
    case 'modern-subsystem-id':
      return `subsystem device ID at ${hex(v.at)} is ${hex(v.actual)}, below ${hex(v.min)}`;
    case 'transitional-revision':
      return `transitional device reports revision ID ${v.actual} at ${hex(v.at)}, not ${v.expected}`;
    case 'transitional-subsystem-id':
      return `transitional device's subsystem device ID at ${hex(v.at)} is ${hex(v.actual)}, not its virtio device ID ${v.expected}`;
    case 'transitional-device-id-range':
      return `${v.legacySignature ? 'device with the legacy signature (revision 0, I/O BAR0)' : 'transitional device'} has device ID ${hex(v.actual)} at ${hex(v.at)}, outside ${hex(v.min)}..${hex(v.max)}`;
    case 'capability-list-absent':
      return `status ${hex(v.status)} at ${hex(v.statusAt)} has the Capabilities List bit clear: the function presents no capabilities, so none of the virtio structures a driver needs (reported once here, not per structure)`;
    case 'capability-list-malformed':
      return v.issues.map((issue) => `${issue.code} at ${hex(issue.offset)}: ${issue.message}`).join('; ');
    case 'cap-len-short':
      return `${v.structure} capability at ${hex(v.capability)} has cap_len ${v.capLen}, less than the ${v.minimum} bytes of its structure`;
    case 'capability-missing':
      return `no usable ${v.structure} capability in the capability list (found: ${v.found.length > 0 ? v.found.join(', ') : 'no virtio capabilities'}${v.ignored.length > 0 ? `; a driver ignores ${v.ignored.join(', ')}` : ''})`;
    case 'offset-unaligned':
      return `${v.structure} capability at ${hex(v.capability)}: offset ${hex(v.offset)} is not ${v.alignment}-byte aligned`;
    case 'common-length-short':
      return `COMMON_CFG capability at ${hex(v.capability)}: length ${v.length} is shorter than the ${v.minimum} bytes of the common configuration (${v.covers})`;
    case 'notify-multiplier':
      return `notify capability at ${hex(v.capability)}: notify_off_multiplier ${v.multiplier} is not ${v.notificationData ? '0 or a power of two that is a multiple of 4 (NOTIFICATION_DATA offered)' : '0 or a power of two'}`;
    case 'notify-length-short':
      return `notify capability at ${hex(v.capability)}: length ${v.length} is below ${v.minimum}`;
    case 'shared-memory-id-duplicate':
      return `shared memory capabilities at ${hex(v.first)} and ${hex(v.second)} both carry id ${v.id}`;
    case 'vendor-data-vendor-id':
      return `vendor data capability at ${hex(v.capability)} carries the virtio vendor ID ${hex(v.vendorId)} in vendor_id`;
    case 'vendor-data-size':
      return `vendor data capability at ${hex(v.capability)}: cap_len ${v.capLen} is not a multiple of ${v.multiple}`;
    case 'msix-table-size':
      return `MSI-X capability at ${hex(v.capability)}: Table Size gives ${v.vectors} vector(s), outside ${v.min}..${hex(v.max)}`;
    case 'legacy-bar0-not-io':
      return `transitional device: BAR0 reads ${hex(v.bar0)}, a memory BAR, not the I/O BAR of the legacy interface`;
    case 'legacy-bar0-empty':
      return 'transitional device: BAR0 is an I/O BAR that decodes no bytes (size 0)';
    case 'bar-upper-half':
      return `capability at ${hex(v.capability)} names BAR${v.bar}, the upper half of the 64-bit BAR${v.bar - 1}`;
    case 'bar-unimplemented':
      return `capability at ${hex(v.capability)} names BAR${v.bar}, which the function does not implement (size 0)`;
    case 'structure-past-bar':
      return `capability at ${hex(v.capability)}: structure ${v.start}..${v.end} runs past the ${hex(v.size)} bytes of BAR${v.bar}`;
    case 'reset-incomplete':
      return `device_status still reads ${hex(v.status)} after a write of 0 and ${v.polls} reads`;
    case 'queue-enable-after-reset':
      return `queue ${v.queue}: queue_enable reads ${v.value} after reset${v.wasEnabled ? ' (the queue was enabled before the reset)' : ''}`;
    case 'queue-size-unavailable':
      return `queue_select ${hex(v.select)} (num_queues ${v.queues}) reads queue_size ${v.size}, not 0${v.previous === undefined ? '' : ` (queue ${v.previous} was selected before)`}${v.selectReadBack !== v.select ? `; queue_select reads back ${hex(v.selectReadBack)}: the device dropped the select` : ''}`;
    case 'queue-size-not-power-of-two':
      return `queue ${v.queue}: queue_size ${v.size} is neither 0 nor a power of two`;
    case 'notify-out-of-bounds':
      return `queue ${v.queue}: queue_notify_off ${v.notifyOff} x notify_off_multiplier ${v.multiplier} + ${v.width} = ${v.notifyOff * v.multiplier + v.width} exceeds the notify length ${v.length} (capability at ${hex(v.capability)})`;
    case 'half-write-disturbs':
      return `queue ${v.queue}: after writing ${hex(v.value)} to the ${v.half} half of queue_desc it reads high:low ${hex(v.high)}:${hex(v.low)}`;
    case 'queue-reset-after-reset':
      return `queue ${v.queue}: queue_reset reads ${v.value} after reset`;
    case 'queue-reset-after-enable':
      return `queue ${v.queue}: queue_reset reads ${v.value} after the queue was enabled`;
    case 'queue-reset-incomplete':
      return `queue ${v.queue}: queue_reset never read 0 in ${v.polls} reads after a queue reset was requested`;
    case 'queue-enable-after-queue-reset':
      return `queue ${v.queue}: queue_enable reads ${v.value} after the queue reset completed`;
    case 'admin-queue-index':
      return `admin_queue_index ${v.index} is below num_queues ${v.queues}`;
    case 'admin-queue-count':
      return `admin_queue_num ${v.count} exceeds ${hex(v.limit)} - admin_queue_index ${v.index}`;
    case 'feature-window-unstable':
      return `device_feature with device_feature_select ${hex(v.select)} read ${hex(v.first)} and then ${hex(v.second)}${v.before === undefined ? '' : ` (after select ${hex(v.before)})`}: the window does not follow the select`;
    case 'driver-feature-missing':
      return `driver_feature reads ${v.readBack} after the driver wrote the offered set ${v.written}: bits ${v.missing} are missing`;
    case 'features-ok-refused':
      return `FEATURES_OK was not kept for the feature set ${v.features}, a valid subset of the offer (device_status reads ${hex(v.status)})`;
    case 'features-ok-unoffered':
      return `FEATURES_OK stayed set although the driver accepted bit ${v.bit}, which the device does not offer (device_status ${hex(v.status)})`;
    case 'renegotiation-refused':
      return `after a reset the device refused FEATURES_OK for ${v.features}, the set it accepted before (device_status ${hex(v.status)})`;
    case 'reserved-features-offered':
      return `device offers feature bit(s) ${v.bits.join(', ')}, reserved in virtio ${v.judgedVersion} and in every later version xvc knows`;
    case 'feature-missing':
      return `device offers ${v.offered} without ${feature(v.feature)}: ${v.why}`;
    case 'feature-offered':
      return `device offers ${feature(v.feature)}: ${v.why}`;
    case 'features-together':
      return `device offers ${feature(v.first)} and ${feature(v.second)} together`;
    case 'vector-after-reset':
      return `${v.queue === undefined ? '' : `queue ${v.queue}: `}${v.field} reads ${hex(v.value)} after reset, not NO_VECTOR (${hex(v.expected)})`;
    case 'vector-readback':
      return `${v.event}: wrote vector ${hex(v.vector)} (table of ${v.tableSize}) to ${v.field} and read back ${hex(v.readBack)}`;
    case 'vector-refusal':
      return `config_msix_vector: mapping to vector ${hex(v.vector)}, past the ${v.tableSize}-entry table, read back ${hex(v.readBack)} instead of NO_VECTOR (${hex(v.expected)})`;
    case 'isr-queue-bit':
      return `ISR at BAR${v.bar} offset ${hex(v.at)} reads ${hex(v.value)} after a used-buffer notification, without the queue bit`;
    case 'isr-not-cleared':
      return `ISR at BAR${v.bar} offset ${hex(v.at)} read ${hex(v.first)} and then ${hex(v.second)}: the first read did not clear it`;
    case 'config-generation-stuck':
      return `config_generation stayed ${v.generation} after device configuration byte 0 changed and was read again`;
    case 'device-config-read-breaks':
      return `after reading the ${v.length} device-configuration bytes before FEATURES_OK, device_status reads ${hex(v.status)}, not ${hex(v.expected)}`;
    case 'vendor-data-read-side-effect':
      return `reading vendor data changed ${v.where} from ${hex(v.before)} to ${hex(v.after)}`;
    case 'window-bar-readback':
      return `PCI_CFG capability at ${hex(v.capability)}: the driver-writable bar field reads ${v.readBack} after ${v.written} was written`;
    case 'window-read-mismatch':
      return `PCI_CFG window (bar ${v.bar}, length ${v.width}, offset ${hex(v.offset)}, in the ${v.structure}) reads ${hex(v.through)} at config ${hex(v.dataAt)}; a direct BAR${v.bar} read gives ${hex(v.direct)}`;
    case 'window-write-lost':
      return `writing ${hex(v.value)} to pci_cfg_data (bar ${v.bar}, length ${v.width}, offset ${hex(v.offset)}) left ${v.field} reading ${hex(v.readBack)} directly`;
    case 'window-write-misrouted':
      return `writing ${hex(v.value)} to pci_cfg_data (bar ${v.bar}, length ${v.width}, offset ${hex(v.offset)}, the ${v.structure}) changed ${v.landed} from ${hex(v.before)} to ${hex(v.after)}: the device did not use cap.bar`;
    case 'legacy-config-offset':
      return `MSI-X ${v.msix ? 'enabled' : 'disabled'}: legacy BAR0 byte ${hex(v.legacyStart + v.byte)} reads ${hex(v.legacy)} but device configuration byte ${v.byte} reads ${hex(v.modern)}: device configuration does not start at ${v.legacyStart}`;
    case 'legacy-access-width':
      return `legacy BAR0 offset ${hex(v.at)}: a 4-byte read gives ${hex(v.dword)}, two 2-byte reads ${hex(v.words)}, four 1-byte reads ${hex(v.bytes)}`;
    case 'legacy-not-quiet':
      return `after the legacy status write, BAR${v.bar} byte ${hex(v.at)} reads ${hex(v.value)}, not 0`;
    case 'legacy-writes-honoured':
      return `after the legacy status write, a write of 1 to device_feature_select took effect (reads ${v.value})`;
    case 'page-size-mask-zero':
      return `page_size_mask at BAR${v.bar} offset ${hex(v.at)} is 0: no mapping granule`;
    case 'bypass-range':
      return `bypass at BAR${v.bar} offset ${hex(v.at)} reads ${v.value}, neither 0 nor 1`;
    case 'bypass-reset':
      return `bypass at BAR${v.bar} offset ${hex(v.at)} read ${v.before} before a device reset and ${v.after} after it`;
  }
}
