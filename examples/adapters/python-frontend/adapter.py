#!/usr/bin/env python3
"""xvc adapter (protocol xvc-adapter/1, frontend role): a strict Xen virtio frontend in plain Python.

It behaves like xvc's reference frontend: the backend domid comes only from channels the backend
cannot write (toolstack device tree, ACPI, xenstore; hypervisor registers or dummy function; a
dom0-run virtio-iommu; the administrator's boot parameter), never from the dom0 constant. It fails
closed: a trusted source that is present but malformed, or two trusted sources that disagree, refuse
the device; it never grants to its own domid or a reserved one, and a device used with grants must
offer VERSION_1 and ACCESS_PLATFORM.

Standard library only. Run: xvc run --target "exec:python3 examples/adapters/python-frontend/adapter.py"
"""
import json
import re
import sys

PROTOCOL = "xvc-adapter/1"

# Values from the Xen and virtio interfaces (xen.h, grant_table.h, virtio spec ch. 6, Linux grant DMA).
DOMID_FIRST_RESERVED = 0x7FF0
DOMID_T_MAX = 0xFFFF
VIRTIO_F_VERSION_1 = 1 << 32
VIRTIO_F_ACCESS_PLATFORM = 1 << 33
GNTTAB_NR_RESERVED_ENTRIES = 8
XEN_PAGE_SHIFT = 12
XEN_PAGE_SIZE = 1 << XEN_PAGE_SHIFT
XEN_GRANT_DMA_ADDR_OFF = 1 << 63
GRANT_V1_FRAME_LIMIT = 1 << 32
MAX_GRANTS_PER_REQUEST = 1 << 16
XEN_GRANT_DMA_COMPATIBLE = "xen,grant-dma"
XEN_GRANT_DMA_IOMMU_CELLS = 1
MAX_PHANDLE_ARGS = 16
IOMMU_MAP_MASK_DEFAULT = 0xFFFFFFFF
BOOT_PARAMETER = "xen_virtio.backend_domid="
PROBE_T_XEN_BACKEND_DOMID = 0x800
DOMID_TABLE_VERSION = 1

DOMID_TEXT = re.compile(r"(0|[1-9][0-9]{0,9})\Z")
FEATURES_TEXT = re.compile(r"0x[0-9a-fA-F]{1,16}\Z")
HEX_TEXT = re.compile(r"(?:[0-9a-fA-F]{2})*\Z")

ABSENT = ("absent",)


def malformed(reason):
    return ("malformed", reason)


def domid(value):
    return ("domid", value)


class BadRequest(Exception):
    """The request does not have the shape the protocol defines."""


# ---- the trusted sources, one reader each, in the order of spec/mechanisms.yaml ----------------------


def requester_id(device):
    bdf = device.get("bdf")
    if device.get("transport") != "pci" or not isinstance(bdf, dict):
        return None
    return (bdf["bus"] << 8) | (bdf["device"] << 3) | bdf["function"]


def node_by_phandle(tree, phandle):
    if phandle == 0:
        return None
    for node in tree.get("iommuNodes", []):
        if node.get("phandle") == phandle:
            return node
    return None


def first_named(items, name):
    for item in items:
        if item.get("name") == name:
            return item
    return None


def check_grant_dma_target(target, specifier):
    if XEN_GRANT_DMA_COMPATIBLE not in target.get("compatible", []):
        return ABSENT
    if target.get("iommuCells") != XEN_GRANT_DMA_IOMMU_CELLS:
        return malformed("xen,grant-dma node has #iommu-cells %r" % target.get("iommuCells"))
    if len(specifier) != XEN_GRANT_DMA_IOMMU_CELLS:
        return malformed("xen,grant-dma specifier has %d cells" % len(specifier))
    if specifier[0] > DOMID_T_MAX:
        return malformed("specifier cell 0x%x does not fit a 16-bit domid" % specifier[0])
    return None


def read_dt_iommus(scenario, device):
    if device.get("transport") != "mmio" or "dtNode" not in device:
        return ABSENT
    tree = scenario["channels"].get("deviceTree")
    node = first_named(tree.get("mmioNodes", []), device["dtNode"]) if tree else None
    if node is None:
        return malformed("device names DT node %r, which the tree lacks" % device["dtNode"])
    cells = node.get("iommus")
    if not cells:
        return ABSENT
    target = node_by_phandle(tree, cells[0])
    if target is None:
        return malformed("iommus phandle resolves to nothing")
    count = target.get("iommuCells")
    if count is None or 1 + count > len(cells):
        return malformed("iommus does not match #iommu-cells")
    args = cells[1 : 1 + min(count, MAX_PHANDLE_ARGS)]
    return check_grant_dma_target(target, args) or domid(args[0])


def read_dt_iommu_map(scenario, device):
    if device.get("transport") != "pci" or "hostBridgeDtNode" not in device or "bdf" not in device:
        return ABSENT
    tree = scenario["channels"].get("deviceTree")
    bridge = first_named(tree.get("pciHostBridges", []), device["hostBridgeDtNode"]) if tree else None
    if bridge is None:
        return malformed("device names host bridge %r, which the tree lacks" % device["hostBridgeDtNode"])
    entries = bridge.get("iommuMap")
    if entries is None:
        return ABSENT
    if not entries:
        return malformed("iommu-map is empty")
    mask = bridge.get("iommuMapMask", IOMMU_MAP_MASK_DEFAULT)
    rid = requester_id(device) & mask
    for entry in entries:
        if entry["ridBase"] & ~mask & 0xFFFFFFFF:
            return malformed("iommu-map-mask hides bits of rid-base")
        if entry["ridBase"] + entry["length"] > 1 << 32:
            return malformed("iommu-map entry overflows 32 bits")
    for entry in entries:
        if entry["ridBase"] <= rid < entry["ridBase"] + entry["length"]:
            break
    else:
        return ABSENT
    target = node_by_phandle(tree, entry["phandle"])
    if target is None:
        return malformed("iommu-map names a phandle the tree lacks")
    specifier = rid - entry["ridBase"] + entry["domidBase"]
    if specifier > DOMID_T_MAX:
        return malformed("iommu-map gives 0x%x, which does not fit a 16-bit domid" % specifier)
    return check_grant_dma_target(target, [specifier]) or domid(specifier)


def read_acpi_table(scenario, device):
    rid = requester_id(device)
    table = scenario["channels"].get("acpi")
    if rid is None or table is None:
        return ABSENT
    segment = device["bdf"]["segment"]
    found = {entry["domid"] for entry in table["backendDomids"] if entry["segment"] == segment and entry["rid"] == rid}
    if not found:
        return ABSENT
    if len(found) > 1:
        return malformed("ACPI table lists the function twice with different domids")
    value = found.pop()
    return malformed("ACPI domid does not fit a 16-bit domid") if value > DOMID_T_MAX else domid(value)


def parse_domid_text(text):
    return int(text) if DOMID_TEXT.match(text) else None


def read_xenstore(scenario, device):
    store = scenario["channels"].get("xenstore")
    if store is None:
        return ABSENT
    bdf = device.get("bdf")
    if device.get("transport") == "pci" and bdf is not None:
        key = "%04x:%02x:%02x.%d" % (bdf["segment"], bdf["bus"], bdf["device"], bdf["function"])
    else:
        key = device["id"]
    value = store.get("/local/domain/%d/device/virtio/%s/backend-domid" % (scenario["guest"]["domid"], key))
    if value is None:
        return ABSENT
    parsed = parse_domid_text(value)
    return malformed("xenstore value is not a domid") if parsed is None else domid(parsed)


def read_root_complex(scenario, device):
    rid = requester_id(device)
    channel = scenario["channels"].get("rootComplex")
    if rid is None or channel is None or channel["emulatedBy"] != "hypervisor":
        return ABSENT
    segment = device["bdf"]["segment"]
    for entry in channel["table"]:
        if entry["segment"] == segment and entry["rid"] == rid:
            return domid(entry["domid"])
    return ABSENT


def u16(data, offset):
    return data[offset] | (data[offset + 1] << 8)


def read_dummy_device(scenario, device):
    rid = requester_id(device)
    channel = scenario["channels"].get("dummyDevice")
    if rid is None or channel is None or channel["emulatedBy"] != "hypervisor" or channel["bdf"]["segment"] != device["bdf"]["segment"]:
        return ABSENT
    if not HEX_TEXT.match(channel["table"]):
        return malformed("domid table is not hex bytes")
    data = bytes.fromhex(channel["table"])
    if len(data) < 4 or len(data) % 4 or data[2] != DOMID_TABLE_VERSION or data[3] != 0:
        return malformed("domid table header is invalid")
    count = u16(data, 0)
    if len(data) - 4 != count * 4:
        return malformed("entry_count does not match the entry bytes")
    found = {u16(data, at + 2) for at in range(4, len(data), 4) if u16(data, at) == rid}
    if not found:
        return ABSENT
    return malformed("domid table lists the function twice with different domids") if len(found) > 1 else domid(found.pop())


def read_virtio_iommu(scenario, device):
    rid = requester_id(device)
    channel = scenario["channels"].get("virtioIommu")
    if rid is None or channel is None or channel["runBy"] != "dom0":
        return ABSENT
    found = [endpoint for endpoint in channel["endpoints"] if endpoint["endpoint"] == rid]
    if not found:
        return ABSENT
    if len(found) > 1:
        return malformed("endpoint listed twice")
    if not HEX_TEXT.match(found[0]["property"]):
        return malformed("property is not hex bytes")
    data = bytes.fromhex(found[0]["property"])
    if len(data) < 8:
        return malformed("PROBE property is shorter than 8 bytes")
    kind = u16(data, 0)
    flags = u16(data, 6)
    if kind & 0xFFF != PROBE_T_XEN_BACKEND_DOMID or kind >> 12 or u16(data, 2) != 4 or flags >> 1:
        return malformed("PROBE property header or reserved bits are wrong")
    return domid(u16(data, 4)) if flags & 1 else ABSENT


def read_boot_parameter(scenario, device):
    given = [parameter for parameter in scenario["guest"]["bootParameters"] if parameter.startswith(BOOT_PARAMETER)]
    if not given:
        return ABSENT
    parsed = parse_domid_text(given[-1][len(BOOT_PARAMETER) :])
    return malformed("boot parameter does not name a domid") if parsed is None else domid(parsed)


TRUSTED_SOURCES = (
    ("dt-iommus", read_dt_iommus),
    ("dt-iommu-map", read_dt_iommu_map),
    ("acpi-table", read_acpi_table),
    ("xenstore", read_xenstore),
    ("root-complex-register", read_root_complex),
    ("dummy-pci-device", read_dummy_device),
    ("virtio-iommu-trusted", read_virtio_iommu),
    ("boot-parameter", read_boot_parameter),
)


# ---- decisions and mappings -------------------------------------------------------------------------


def decide_device(scenario, device):
    device_id = device["id"]

    def refuse(reason, mechanism=None):
        decision = {"deviceId": device_id, "outcome": "refused", "reason": reason}
        if mechanism:
            decision["mechanism"] = mechanism
        return decision

    text = device["deviceFeatures"]
    if not FEATURES_TEXT.match(text):
        return refuse("device features are not a 64-bit hex word")
    features = int(text, 16)
    found = []
    for mechanism, read in TRUSTED_SOURCES:
        reading = read(scenario, device)
        if reading[0] == "malformed":
            return refuse("trusted source %s is malformed: %s" % (mechanism, reading[1]), mechanism)
        if reading[0] == "domid":
            found.append((mechanism, reading[1]))
    if len({value for _, value in found}) > 1:
        return refuse("trusted sources disagree: " + ", ".join("%s=%d" % source for source in found))
    if not found:
        if scenario["guest"]["kernel"]["forceGrant"]:
            return refuse("grants are required but no trusted source names a backend")
        return {"deviceId": device_id, "outcome": "no-grants", "reason": "no trusted source names a backend domid"}
    mechanism, backend = found[0]
    if backend >= DOMID_FIRST_RESERVED:
        return refuse("domid %d is reserved" % backend, mechanism)
    if backend == scenario["guest"]["domid"]:
        return refuse("domid %d is the guest's own" % backend, mechanism)
    missing = [name for name, bit in (("VERSION_1", VIRTIO_F_VERSION_1), ("ACCESS_PLATFORM", VIRTIO_F_ACCESS_PLATFORM)) if not features & bit]
    if missing:
        return refuse("device must offer VIRTIO_F_%s to be used with grants" % " and VIRTIO_F_".join(missing), mechanism)
    return {"deviceId": device_id, "outcome": "grants", "backendDomid": backend, "mechanism": mechanism}


def pages_spanned(buffer):
    return (buffer["offset"] + buffer["length"] + XEN_PAGE_SIZE - 1) // XEN_PAGE_SIZE


def map_buffers(scenario, request):
    device_id = request["deviceId"]
    buffers = request["buffers"]

    def refused(reason):
        return {"deviceId": device_id, "outcome": "refused", "mappings": [], "reason": reason}

    device = next((candidate for candidate in scenario["devices"] if candidate["id"] == device_id), None)
    if device is None:
        return refused("no device '%s' in the scenario" % device_id)
    decision = decide_device(scenario, device)
    if decision["outcome"] in ("refused", "crash"):
        return refused("device is " + decision["outcome"])
    if decision["outcome"] == "no-grants":
        mappings = [{"dmaAddress": hex((b["frame"] << XEN_PAGE_SHIFT) + b["offset"]), "grants": []} for b in buffers]
        return {"deviceId": device_id, "outcome": "direct", "mappings": mappings}
    backend = decision["backendDomid"]
    total = sum(pages_spanned(b) for b in buffers)
    if total > MAX_GRANTS_PER_REQUEST:
        return refused("request needs %d grants, more than %d" % (total, MAX_GRANTS_PER_REQUEST))
    next_ref = GNTTAB_NR_RESERVED_ENTRIES
    mappings = []
    for b in buffers:
        count = pages_spanned(b)
        readonly = not b["coherent"] and b["direction"] == "to-device"
        grants = []
        for index in range(count):
            frame = b["frame"] + index
            if frame >= GRANT_V1_FRAME_LIMIT:
                return refused("grant of frame %d failed: frame-too-wide" % frame)
            grants.append({"ref": next_ref + index, "domid": backend, "frame": frame, "readonly": readonly})
        address = XEN_GRANT_DMA_ADDR_OFF | (next_ref << XEN_PAGE_SHIFT) | (b["offset"] % XEN_PAGE_SIZE)
        mappings.append({"dmaAddress": hex(address), "grants": grants})
        next_ref += count
    return {"deviceId": device_id, "outcome": "mapped", "mappings": mappings}


# ---- protocol -----------------------------------------------------------------------------------------

START_RESULT = {
    "protocol": PROTOCOL,
    "role": "frontend",
    "implementation": {
        "name": "xvc reference frontend (Python example)",
        "version": "1.0",
        "language": "Python %d.%d" % sys.version_info[:2],
        "homepage": "docs/adapter-protocol.md",
    },
    "specVersions": ["1.2", "1.3"],
    "mechanisms": [mechanism for mechanism, _ in TRUSTED_SOURCES],
    "maxInFlight": 256,
}


def require(condition, message):
    if not condition:
        raise BadRequest(message)


def check_scenario(scenario):
    require(isinstance(scenario, dict), "scenario must be an object")
    guest = scenario.get("guest")
    require(isinstance(guest, dict), "scenario.guest must be an object")
    require(isinstance(guest.get("domid"), int), "scenario.guest.domid must be an integer")
    require(isinstance(guest.get("kernel"), dict) and isinstance(guest["kernel"].get("forceGrant"), bool), "scenario.guest.kernel.forceGrant must be a boolean")
    require(isinstance(guest.get("bootParameters"), list), "scenario.guest.bootParameters must be an array")
    require(isinstance(scenario.get("channels"), dict), "scenario.channels must be an object")
    devices = scenario.get("devices")
    require(isinstance(devices, list), "scenario.devices must be an array")
    for device in devices:
        require(isinstance(device, dict) and isinstance(device.get("id"), str) and isinstance(device.get("deviceFeatures"), str), "every device needs a string id and deviceFeatures")
    return scenario


def check_map_request(request):
    require(isinstance(request, dict) and isinstance(request.get("deviceId"), str), "request.deviceId must be a string")
    require(isinstance(request.get("buffers"), list), "request.buffers must be an array")
    for b in request["buffers"]:
        require(isinstance(b, dict) and all(isinstance(b.get(key), int) for key in ("frame", "offset", "length")), "every buffer needs integer frame, offset and length")
    return request


def handle(request):
    """The answer to one request (a dict), and whether to go on."""
    if not isinstance(request, dict) or not isinstance(request.get("seq"), int) or isinstance(request.get("seq"), bool):
        return {"seq": None, "error": {"code": "bad-request", "message": "a request is an object with an integer seq"}}, True
    seq = request["seq"]
    cmd = request.get("cmd")
    try:
        if cmd == "decide":
            scenario = check_scenario(request.get("scenario"))
            return {"seq": seq, "result": {"decisions": [decide_device(scenario, device) for device in scenario["devices"]]}}, True
        if cmd == "map":
            return {"seq": seq, "result": map_buffers(check_scenario(request.get("scenario")), check_map_request(request.get("request")))}, True
        if cmd == "start":
            return {"seq": seq, "result": START_RESULT}, True
        if cmd == "stop":
            return {"seq": seq, "result": {}}, False
    except BadRequest as problem:
        return {"seq": seq, "error": {"code": "bad-request", "message": str(problem)}}, True
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as problem:
        return {"seq": seq, "error": {"code": "bad-request", "message": "malformed %s request: %s: %s" % (cmd, type(problem).__name__, problem)}}, True
    return {"seq": seq, "error": {"code": "unknown-command", "message": "unknown command %r (a frontend knows start, decide, map, stop)" % (cmd,)}}, True


def main():
    read_line = sys.stdin.buffer.readline
    write = sys.stdout.buffer.write
    flush = sys.stdout.buffer.flush
    encode = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
    while True:
        line = read_line()
        if not line:
            return
        if not line.strip():
            continue
        try:
            request = json.loads(line)
        except ValueError as problem:
            answer, go_on = {"seq": None, "error": {"code": "bad-request", "message": "request is not JSON: %s" % problem}}, True
        else:
            answer, go_on = handle(request)
        write(encode(answer).encode("utf-8") + b"\n")
        flush()
        if not go_on:
            return


if __name__ == "__main__":
    main()
