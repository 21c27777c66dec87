/*
 * xvc adapter (protocol xvc-adapter/1, frontend role) reproducing what Linux with the January 2026
 * dom0 fix decides for a Xen guest's virtio devices: drivers/xen/grant-dma-ops.c after commit
 * dc8ea8714311 plus virtio_features_ok (decision table 5.9, column C of the xvc spec digest).
 * Its known defects are kept on purpose, because the suite must flag them:
 *   - the device-tree path is not guarded in the initial domain (dom0 may grant to itself via DT);
 *   - the 32-bit DT cell is truncated to a 16-bit domid_t with no check against reserved domids;
 *   - before 7.2, of_map_id reads every iommu-map entry as a one-cell specifier whatever the
 *     xen,grant-dma node's #iommu-cells says.
 * Feature checks use what Linux negotiates: virtio-balloon's validate() clears ACCESS_PLATFORM.
 *
 * Build (from the repository root): gcc -O2 -I generated/c -o adapter examples/adapters/c-linux-2026/adapter.c examples/adapters/c-linux-2026/json.c
 * Run:   xvc run --target exec:./adapter
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stddef.h>

#include "json.h"
#include "xvc/pci/pci-type0-header.h"
#include "xvc/virtio/virtio-core.h"
#include "xvc/virtio/virtio-pci-constants.h"
#include "xvc/xen/grant-table.h"
#include "xvc/xen/xen-domid.h"
#include "xvc/xen/xen-grant-dma-addr.h"

#define MAX_PHANDLE_ARGS 16          /* Linux of_phandle_args limit */
#define MAX_GRANTS_PER_REQUEST 65536 /* bound on grants one map request may create */
#define GRANT_FRAME_LIMIT (1ULL << 32) /* v1 grant entries hold a 32-bit frame */

typedef struct { const char *message; } bad_request; /* non-NULL message = malformed request */

/* ---- decisions ------------------------------------------------------------------------------ */

typedef enum { OUT_GRANTS, OUT_NO_GRANTS, OUT_REFUSED, OUT_CRASH } outcome;

typedef struct {
  const char *device_id;
  outcome outcome;
  unsigned backend_domid;
  const char *mechanism; /* NULL when none */
  char reason[160];
} decision;

static const char *outcome_name[] = { "grants", "no-grants", "refused", "crash" };

static int flag(const jval *object, const char *key) { jval *v = json_get(object, key); return v && v->type == J_BOOL && v->boolean; }
static uint32_t u32(const jval *value) { return json_is_uint(value) ? (uint32_t)(uint64_t)value->number : 0; }

/* of_device_is_compatible(node, "xen,grant-dma") */
static int is_grant_dma(const jval *node) {
  jval *compatible = json_get(node, "compatible");
  if (!json_is(compatible, J_ARR)) return 0;
  for (size_t k = 0; k < compatible->count; k++)
    if (json_is(compatible->items[k], J_STR) && !strcmp(compatible->items[k]->string, "xen,grant-dma")) return 1;
  return 0;
}

static const jval *node_by_phandle(const jval *tree, uint32_t phandle) {
  if (phandle == 0) return NULL;
  jval *nodes = json_get(tree, "iommuNodes");
  if (!json_is(nodes, J_ARR)) return NULL;
  for (size_t k = 0; k < nodes->count; k++)
    if (json_is_uint(json_get(nodes->items[k], "phandle")) && u32(json_get(nodes->items[k], "phandle")) == phandle) return nodes->items[k];
  return NULL;
}

static const jval *named(const jval *tree, const char *list, const char *name) {
  jval *items = json_get(tree, list);
  if (!json_is(items, J_ARR) || !name) return NULL;
  for (size_t k = 0; k < items->count; k++) {
    const char *candidate = json_str(items->items[k], "name");
    if (candidate && !strcmp(candidate, name)) return items->items[k];
  }
  return NULL;
}

/* xen_dt_grant_init_backend_domid(): 0 and *domid on success, -1 (-ESRCH) otherwise. */
static int dt_backend_domid(const jval *tree, const jval *device, int pci, uint16_t *domid, const char **mechanism, char *why, size_t why_size) {
  if (pci) {
    const jval *bridge = named(tree, "pciHostBridges", json_str(device, "hostBridgeDtNode"));
    jval *map = json_get(bridge, "iommuMap");
    if (!json_is(map, J_ARR)) { snprintf(why, why_size, "no iommu-map"); return -1; }
    if (map->count == 0) { snprintf(why, why_size, "empty iommu-map"); return -1; }
    jval *bdf = json_get(device, "bdf");
    uint32_t rid = (u32(json_get(bdf, "bus")) << 8) | (u32(json_get(bdf, "device")) << 3) | u32(json_get(bdf, "function")); /* PCI_DEVID */
    jval *mask_value = json_get(bridge, "iommuMapMask");
    uint32_t mask = mask_value ? u32(mask_value) : 0xffffffffu;
    uint32_t masked = mask & rid;
    for (size_t k = 0; k < map->count; k++) { /* of_map_id() */
      const jval *entry = map->items[k];
      uint32_t base = u32(json_get(entry, "ridBase")), length = u32(json_get(entry, "length"));
      if (base & ~mask) { snprintf(why, why_size, "iommu-map-mask ignores rid-base"); return -1; }
      uint32_t end = base + length;
      if (masked < base || masked >= end) continue;
      const jval *target = node_by_phandle(tree, u32(json_get(entry, "phandle")));
      if (!target) { snprintf(why, why_size, "iommu-map phandle resolves to nothing"); return -1; }
      if (!is_grant_dma(target)) { snprintf(why, why_size, "IOMMU node is not xen,grant-dma"); return -1; }
      *domid = (uint16_t)(masked - base + u32(json_get(entry, "domidBase"))); /* domid_t = u32: truncated, unchecked */
      *mechanism = "dt-iommu-map";
      return 0;
    }
    snprintf(why, why_size, "no iommu-map translation for the requester id");
    return -1;
  }
  const jval *node = named(tree, "mmioNodes", json_str(device, "dtNode"));
  jval *cells = json_get(node, "iommus");
  if (!json_is(cells, J_ARR) || cells->count == 0) { snprintf(why, why_size, "no iommus property"); return -1; }
  uint32_t phandle = u32(cells->items[0]);
  const jval *target = node_by_phandle(tree, phandle);
  if (!target) { snprintf(why, why_size, "iommus phandle resolves to nothing"); return -1; }
  jval *cells_value = json_get(target, "iommuCells");
  if (!cells_value) { snprintf(why, why_size, "IOMMU node lacks #iommu-cells"); return -1; }
  uint64_t count = u32(cells_value);
  if (1 + count > cells->count) { snprintf(why, why_size, "iommus shorter than #iommu-cells"); return -1; }
  if (count > MAX_PHANDLE_ARGS) count = MAX_PHANDLE_ARGS;
  if (!is_grant_dma(target) || count != 1) { snprintf(why, why_size, "incompatible IOMMU node"); return -1; }
  *domid = (uint16_t)u32(cells->items[1]); /* truncated to domid_t, no reserved-domid check */
  *mechanism = "dt-iommus";
  return 0;
}

static uint64_t parse_features(const char *text) {
  if (!text || text[0] != '0' || text[1] != 'x') return 0;
  uint64_t value = 0;
  for (const char *c = text + 2; *c; c++) {
    int digit = (*c >= '0' && *c <= '9') ? *c - '0' : (*c >= 'a' && *c <= 'f') ? *c - 'a' + 10 : (*c >= 'A' && *c <= 'F') ? *c - 'A' + 10 : -1;
    if (digit < 0 || c - text > 17) return 0;
    value = (value << 4) | (uint64_t)digit;
  }
  return value;
}

/* The PCI device ID in the config-space hex (little-endian, two hex digits a byte). */
static int pci_device_id(const jval *device) {
  const char *config = json_str(device, "configSpace");
  size_t at = 2 * offsetof(struct xvc_pci_type0_header, device_id);
  unsigned low, high;
  if (!config || strlen(config) < at + 4 || sscanf(config + at, "%2x%2x", &low, &high) != 2) return -1;
  return (int)(low | (high << 8));
}

/* virtballoon_validate() clears ACCESS_PLATFORM: Linux never negotiates it with a balloon. */
static int is_balloon(const jval *device) {
  int id = pci_device_id(device);
  return id == (int)(XVC_VIRTIO_PCI_MODERN_DEVICE_ID_BASE + XVC_VIRTIO_DEVICE_ID_BALLOON) || id == (int)XVC_VIRTIO_PCI_TRANSITIONAL_DEVICE_ID_BALLOON;
}

static void decide_device(const jval *scenario, const jval *device, decision *out) {
  const jval *guest = json_get(scenario, "guest");
  const jval *kernel = json_get(guest, "kernel");
  const jval *tree = json_get(json_get(scenario, "channels"), "deviceTree");
  const char *arch = json_str(guest, "arch"), *type = json_str(guest, "type");
  int pci = !strcmp(json_str(device, "transport"), "pci");
  int pv = !strcmp(arch, "x86") && !strcmp(type, "pv");
  memset(out, 0, sizeof *out);
  out->device_id = json_str(device, "id");

  /* Which guests install xen_virtio_restricted_mem_acc at all. */
  int callback = flag(kernel, "xenVirtio") && (!strcmp(arch, "arm") || pv || flag(kernel, "forceGrant"));
  if (!callback) { out->outcome = OUT_NO_GRANTS; snprintf(out->reason, sizeof out->reason, "mem-acc callback not installed"); return; }

  /* xen_dt_get_node(): the 2023 NULL check makes a parent-less root bus mean "no node". */
  int has_node;
  if (pci) has_node = flag(device, "rootBusBridgeHasParent") && json_get(device, "hostBridgeDtNode") != NULL;
  else has_node = json_get(device, "dtNode") != NULL;

  uint16_t domid = 0;
  const char *mechanism;
  if (has_node) {
    char why[96];
    if (dt_backend_domid(tree, device, pci, &domid, &mechanism, why, sizeof why) != 0) {
      out->outcome = OUT_NO_GRANTS; /* no fallback once a DT node exists */
      snprintf(out->reason, sizeof out->reason, "DT node present: %s", why);
      return;
    }
  } else if (!flag(guest, "initialDomain") && (flag(kernel, "forceGrant") || pv)) {
    domid = XVC_DOMID_INITIAL; /* "Using dom0 as backend"; the 2026 fix skips it in dom0 */
    mechanism = "dom0-default";
  } else {
    out->outcome = OUT_NO_GRANTS;
    snprintf(out->reason, sizeof out->reason, "no DT node and no dom0 fallback");
    return;
  }
  out->mechanism = mechanism;
  uint64_t features = parse_features(json_str(device, "deviceFeatures"));
  if (pci && is_balloon(device)) features &= ~(uint64_t)XVC_VIRTIO_FEATURES_ACCESS_PLATFORM;
  if (!(features & XVC_VIRTIO_FEATURES_VERSION_1) || !(features & XVC_VIRTIO_FEATURES_ACCESS_PLATFORM)) {
    out->outcome = OUT_REFUSED;
    snprintf(out->reason, sizeof out->reason, "device must provide VIRTIO_F_%s (-ENODEV)", !(features & XVC_VIRTIO_FEATURES_VERSION_1) ? "VERSION_1" : "ACCESS_PLATFORM");
    return;
  }
  out->outcome = OUT_GRANTS;
  out->backend_domid = domid;
  snprintf(out->reason, sizeof out->reason, "grant DMA ops towards domid %u", domid);
}

/* ---- request checking --------------------------------------------------------------------- */

static const char *check_scenario(const jval *scenario) {
  if (!json_is(scenario, J_OBJ)) return "scenario must be an object";
  const jval *guest = json_get(scenario, "guest");
  if (!json_is(guest, J_OBJ)) return "scenario.guest must be an object";
  if (!json_is_uint(json_get(guest, "domid"))) return "scenario.guest.domid must be an integer";
  if (!json_is(json_get(guest, "initialDomain"), J_BOOL)) return "scenario.guest.initialDomain must be a boolean";
  if (!json_str(guest, "type") || !json_str(guest, "arch")) return "scenario.guest.type and arch must be strings";
  const jval *kernel = json_get(guest, "kernel");
  if (!json_is(json_get(kernel, "xenVirtio"), J_BOOL) || !json_is(json_get(kernel, "forceGrant"), J_BOOL)) return "scenario.guest.kernel must have boolean xenVirtio and forceGrant";
  if (!json_is(json_get(scenario, "channels"), J_OBJ)) return "scenario.channels must be an object";
  const jval *devices = json_get(scenario, "devices");
  if (!json_is(devices, J_ARR)) return "scenario.devices must be an array";
  for (size_t k = 0; k < devices->count; k++) {
    const jval *device = devices->items[k];
    if (!json_str(device, "id") || !json_str(device, "transport") || !json_str(device, "deviceFeatures")) return "every device needs string id, transport and deviceFeatures";
    if (!strcmp(json_str(device, "transport"), "pci") && !json_is(json_get(device, "bdf"), J_OBJ)) return "a pci device needs a bdf";
  }
  return NULL;
}

/* ---- answers ------------------------------------------------------------------------------- */

static void begin(jout *out, const jval *seq) {
  out->length = 0;
  out_raw(out, "{\"seq\":");
  if (seq) out_uint(out, (uint64_t)seq->number); else out_raw(out, "null");
}

static void error_answer(jout *out, const jval *seq, const char *code, const char *message) {
  begin(out, seq);
  out_raw(out, ",\"error\":{\"code\":");
  out_string(out, code);
  out_raw(out, ",\"message\":");
  out_string(out, message);
  out_raw(out, "}}");
}

static void decision_json(jout *out, const decision *d) {
  out_raw(out, "{\"deviceId\":");
  out_string(out, d->device_id);
  out_raw(out, ",\"outcome\":");
  out_string(out, outcome_name[d->outcome]);
  if (d->outcome == OUT_GRANTS) { out_raw(out, ",\"backendDomid\":"); out_uint(out, d->backend_domid); }
  if (d->mechanism) { out_raw(out, ",\"mechanism\":"); out_string(out, d->mechanism); }
  out_raw(out, ",\"reason\":");
  out_string(out, d->reason);
  out_char(out, '}');
}

static void decide_answer(jout *out, const jval *seq, const jval *scenario) {
  const jval *devices = json_get(scenario, "devices");
  begin(out, seq);
  out_raw(out, ",\"result\":{\"decisions\":[");
  for (size_t k = 0; k < devices->count; k++) {
    decision d;
    decide_device(scenario, devices->items[k], &d);
    if (k) out_char(out, ',');
    decision_json(out, &d);
  }
  out_raw(out, "]}}");
}

static const char *check_map_request(const jval *request) {
  if (!json_str(request, "deviceId")) return "request.deviceId must be a string";
  const jval *buffers = json_get(request, "buffers");
  if (!json_is(buffers, J_ARR)) return "request.buffers must be an array";
  for (size_t k = 0; k < buffers->count; k++) {
    const jval *b = buffers->items[k];
    if (!json_is_uint(json_get(b, "frame")) || !json_is_uint(json_get(b, "offset")) || !json_is_uint(json_get(b, "length")) || !json_str(b, "direction") || !json_is(json_get(b, "coherent"), J_BOOL))
      return "every buffer needs integer frame, offset, length, string direction and boolean coherent";
    if (u32(json_get(b, "offset")) >= XVC_XEN_PAGE_SIZE || u32(json_get(b, "length")) == 0) return "buffer offset must be < 4096 and length > 0";
  }
  return NULL;
}

static void map_refused(jout *out, const jval *seq, const char *device_id, const char *reason) {
  begin(out, seq);
  out_raw(out, ",\"result\":{\"deviceId\":");
  out_string(out, device_id);
  out_raw(out, ",\"outcome\":\"refused\",\"mappings\":[],\"reason\":");
  out_string(out, reason);
  out_raw(out, "}}");
}

/* dma_map_page through xen_grant_dma_ops (consecutive refs from a fresh table), or direct DMA. */
static void map_answer(jout *out, const jval *seq, const jval *scenario, const jval *request) {
  const char *device_id = json_str(request, "deviceId");
  const jval *devices = json_get(scenario, "devices");
  const jval *buffers = json_get(request, "buffers");
  decision d;
  int found = 0;
  for (size_t k = 0; k < devices->count && !found; k++)
    if (!strcmp(json_str(devices->items[k], "id"), device_id)) { decide_device(scenario, devices->items[k], &d); found = 1; }
  if (!found) { char reason[128]; snprintf(reason, sizeof reason, "no device '%.64s' in the scenario", device_id); map_refused(out, seq, device_id, reason); return; }
  if (d.outcome == OUT_REFUSED || d.outcome == OUT_CRASH) { char reason[64]; snprintf(reason, sizeof reason, "device is %s", outcome_name[d.outcome]); map_refused(out, seq, device_id, reason); return; }
  uint64_t pages = 0;
  for (size_t k = 0; k < buffers->count; k++) {
    const jval *b = buffers->items[k];
    pages += (u32(json_get(b, "offset")) + (uint64_t)u32(json_get(b, "length")) + XVC_XEN_PAGE_SIZE - 1) / XVC_XEN_PAGE_SIZE;
  }
  if (d.outcome == OUT_GRANTS && pages > MAX_GRANTS_PER_REQUEST) {
    char reason[96]; snprintf(reason, sizeof reason, "request needs %llu grants, more than %d", (unsigned long long)pages, MAX_GRANTS_PER_REQUEST);
    map_refused(out, seq, device_id, reason); return;
  }
  /* Frames a v1 entry cannot hold make the grant fail: check before writing anything. */
  if (d.outcome == OUT_GRANTS) {
    for (size_t k = 0; k < buffers->count; k++) {
      const jval *b = buffers->items[k];
      uint64_t count = (u32(json_get(b, "offset")) + (uint64_t)u32(json_get(b, "length")) + XVC_XEN_PAGE_SIZE - 1) / XVC_XEN_PAGE_SIZE;
      uint64_t last = (uint64_t)u32(json_get(b, "frame")) + count - 1;
      if (last >= GRANT_FRAME_LIMIT) {
        char reason[96]; snprintf(reason, sizeof reason, "grant of frame %llu failed: frame-too-wide", (unsigned long long)GRANT_FRAME_LIMIT);
        map_refused(out, seq, device_id, reason); return;
      }
    }
  }
  begin(out, seq);
  out_raw(out, ",\"result\":{\"deviceId\":");
  out_string(out, device_id);
  out_raw(out, d.outcome == OUT_GRANTS ? ",\"outcome\":\"mapped\",\"mappings\":[" : ",\"outcome\":\"direct\",\"mappings\":[");
  uint64_t next_ref = XVC_GNTTAB_NR_RESERVED_ENTRIES;
  for (size_t k = 0; k < buffers->count; k++) {
    const jval *b = buffers->items[k];
    uint64_t frame = u32(json_get(b, "frame")), offset = u32(json_get(b, "offset"));
    if (k) out_char(out, ',');
    out_raw(out, "{\"dmaAddress\":");
    if (d.outcome != OUT_GRANTS) {
      out_hex(out, (frame << XVC_XEN_PAGE_SHIFT) + offset);
      out_raw(out, ",\"grants\":[]}");
      continue;
    }
    uint64_t count = (offset + u32(json_get(b, "length")) + XVC_XEN_PAGE_SIZE - 1) / XVC_XEN_PAGE_SIZE;
    int readonly = !flag(b, "coherent") && !strcmp(json_str(b, "direction"), "to-device");
    out_hex(out, XVC_XEN_GRANT_DMA_ADDR_OFF | ((next_ref << XVC_XEN_PAGE_SHIFT) & XVC_XEN_GRANT_DMA_ADDR_GRANT_REF_MASK) | (offset & XVC_XEN_GRANT_DMA_ADDR_PAGE_OFFSET_MASK));
    out_raw(out, ",\"grants\":[");
    for (uint64_t index = 0; index < count; index++) {
      if (index) out_char(out, ',');
      out_raw(out, "{\"ref\":"); out_uint(out, next_ref + index);
      out_raw(out, ",\"domid\":"); out_uint(out, d.backend_domid);
      out_raw(out, ",\"frame\":"); out_uint(out, frame + index);
      out_raw(out, readonly ? ",\"readonly\":true}" : ",\"readonly\":false}");
    }
    next_ref += count;
    out_raw(out, "]}");
  }
  out_raw(out, "]}}");
}

static const char *start_result =
  ",\"result\":{\"protocol\":\"xvc-adapter/1\",\"role\":\"frontend\","
  "\"implementation\":{\"name\":\"linux-2026 (C example)\",\"version\":\"dc8ea8714311\",\"language\":\"C\","
  "\"homepage\":\"https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/tree/drivers/xen/grant-dma-ops.c\"},"
  "\"specVersions\":[\"1.2\",\"1.3\"],\"mechanisms\":[\"dt-iommus\",\"dt-iommu-map\",\"dom0-default\"]}}";

/* Handles one line; returns 0 after stop. */
static int handle(const char *line, size_t length, jout *out) {
  const char *error;
  jval *request = json_parse(line, length, &error);
  if (!request) { char message[96]; snprintf(message, sizeof message, "request is not JSON: %s", error); error_answer(out, NULL, "bad-request", message); return 1; }
  const jval *seq = json_get(request, "seq");
  if (!json_is(request, J_OBJ) || !json_is_uint(seq)) { error_answer(out, NULL, "bad-request", "request must be an object with an integer seq"); return 1; }
  const char *cmd = json_str(request, "cmd");
  if (!cmd) { error_answer(out, seq, "bad-request", "request has no string cmd"); return 1; }
  if (!strcmp(cmd, "start")) { begin(out, seq); out_raw(out, start_result); return 1; }
  if (!strcmp(cmd, "stop")) { begin(out, seq); out_raw(out, ",\"result\":{}}"); return 0; }
  if (!strcmp(cmd, "decide") || !strcmp(cmd, "map")) {
    const jval *scenario = json_get(request, "scenario");
    const char *problem = check_scenario(scenario);
    if (!problem && !strcmp(cmd, "map")) problem = check_map_request(json_get(request, "request"));
    if (problem) { error_answer(out, seq, "bad-request", problem); return 1; }
    if (!strcmp(cmd, "decide")) decide_answer(out, seq, scenario);
    else map_answer(out, seq, scenario, json_get(request, "request"));
    return 1;
  }
  char message[128];
  snprintf(message, sizeof message, "unknown command '%.64s' (a frontend knows start, decide, map, stop)", cmd);
  error_answer(out, seq, "unknown-command", message);
  return 1;
}

int main(void) {
  char *line = NULL;
  size_t capacity = 0;
  ssize_t length;
  jout out = { 0 };
  while ((length = getline(&line, &capacity, stdin)) >= 0) {
    while (length > 0 && (line[length - 1] == '\n' || line[length - 1] == '\r')) length--;
    if (length == 0) continue;
    int go_on = handle(line, (size_t)length, &out);
    json_reset();
    out_char(&out, '\n');
    fwrite(out.data, 1, out.length, stdout);
    fflush(stdout);
    if (!go_on) break;
  }
  free(line);
  free(out.data);
  return 0;
}
