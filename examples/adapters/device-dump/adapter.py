#!/usr/bin/env python3
"""xvc adapter (protocol xvc-adapter/1, device role) serving PCI configuration space from a dump.

Usage: adapter.py DUMP
DUMP is `lspci -x`/`-xxx`/`-xxxx` text (one or more functions) or a raw binary config space
(/sys/bus/pci/devices/*/config). The functions are read-only and not live: reads have no effects and
writes are refused, so xvc runs its static checks only. Standard library only.
"""
import json
import re
import sys

PROTOCOL = "xvc-adapter/1"
HEADER = re.compile(r"^((?:[0-9a-fA-F]{4}:)?[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7])\s+(.*)$")
HEX_ROW = re.compile(r"^([0-9a-fA-F]{2,3}):((?:\s+[0-9a-fA-F]{2})+)\s*$")
MAX_CONFIG = 4096


def parse_text(text):
    """The functions of lspci -x text: [(id, description, bytearray)]."""
    functions = []
    current = None
    for line in text.splitlines():
        header = HEADER.match(line)
        if header:
            current = (header.group(1), header.group(2), bytearray())
            functions.append(current)
            continue
        row = HEX_ROW.match(line)
        if row and current is not None:
            offset = int(row.group(1), 16)
            values = bytes(int(value, 16) for value in row.group(2).split())
            end = min(offset + len(values), MAX_CONFIG)
            if offset >= MAX_CONFIG:
                continue
            data = current[2]
            if len(data) < end:
                data.extend(bytes(end - len(data)))
            data[offset:end] = values[: end - offset]
    return [function for function in functions if function[2]]


class DumpError(Exception):
    """A file that is no dump this adapter can serve."""


def looks_like_text(raw):
    """Printable text (lines of ASCII), as an lspci listing is; a configuration space is registers."""
    sample = raw[:4096]
    return bool(sample) and all(32 <= byte < 127 or byte in (9, 10, 13) for byte in sample)


def function_name(path):
    """A raw file's id: its name, or for a sysfs `config` file its device directory (the BDF)."""
    parts = path.rstrip("/").split("/")
    return parts[-2] if parts[-1] == "config" and len(parts) > 1 and parts[-2] else parts[-1]


def load(path):
    with open(path, "rb") as handle:
        raw = handle.read(1 << 22)
    try:
        functions = parse_text(raw.decode("ascii"))
    except UnicodeDecodeError:
        functions = []
    if functions:
        return functions
    # Text without hex rows is a listing (lspci -v, -vvv), not a configuration space: serving its
    # characters as registers would make up a device.
    if looks_like_text(raw):
        raise DumpError("is text without lspci -x hex rows (an lspci -v or -vvv listing?); give lspci -x/-xxx/-xxxx output or a raw config file")
    if len(raw) < 64:
        raise DumpError("holds %d bytes, fewer than the 64 of a PCI header" % len(raw))
    return [(function_name(path), "raw configuration space", bytearray(raw[:MAX_CONFIG]))]


def answer(request, functions):
    seq = request.get("seq")
    if not isinstance(seq, int) or isinstance(seq, bool):
        return {"seq": None, "error": {"code": "bad-request", "message": "a request is an object with an integer seq"}}
    cmd = request.get("cmd")
    if cmd == "start":
        return {
            "seq": seq,
            "result": {
                "protocol": PROTOCOL,
                "role": "device",
                "implementation": {"name": "xvc config-space dump server (Python example)", "version": "1.0", "language": "Python"},
                "specVersions": [],
                "mechanisms": [],
            },
        }
    if cmd == "stop":
        return {"seq": seq, "result": {}}
    if cmd == "list-functions":
        listed = []
        for identifier, description, data in functions:
            listed.append({"id": identifier, "description": description, "configSize": len(data), "live": False, "writable": False})
        return {"seq": seq, "result": {"functions": listed}}
    if cmd == "config-read":
        data = next((data for identifier, _, data in functions if identifier == request.get("function")), None)
        offset, width = request.get("offset"), request.get("width")
        if data is None:
            return {"seq": seq, "error": {"code": "bad-request", "message": "no function %r" % (request.get("function"),)}}
        if not isinstance(offset, int) or width not in (1, 2, 4) or offset < 0 or offset + width > len(data):
            return {"seq": seq, "error": {"code": "bad-request", "message": "read outside the %d bytes of the dump" % len(data)}}
        return {"seq": seq, "result": {"value": int.from_bytes(data[offset : offset + width], "little")}}
    if cmd in ("config-write", "bar-read", "bar-write"):
        return {"seq": seq, "error": {"code": "unsupported", "message": "a dump is read-only and has no BARs"}}
    return {"seq": seq, "error": {"code": "unknown-command", "message": "unknown command %r" % (cmd,)}}


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: adapter.py DUMP\n")
        return 2
    try:
        functions = load(sys.argv[1])
    except OSError as problem:
        sys.stderr.write("cannot read %s: %s\n" % (sys.argv[1], problem.strerror))
        return 1
    except DumpError as problem:
        sys.stderr.write("%s %s\n" % (sys.argv[1], problem))
        return 2
    for line in sys.stdin.buffer:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
        except ValueError as problem:
            reply = {"seq": None, "error": {"code": "bad-request", "message": "request is not JSON: %s" % problem}}
        else:
            reply = answer(request, functions) if isinstance(request, dict) else {"seq": None, "error": {"code": "bad-request", "message": "a request is a JSON object"}}
        sys.stdout.write(json.dumps(reply, separators=(",", ":")) + "\n")
        sys.stdout.flush()
        if isinstance(request, dict) and request.get("cmd") == "stop":
            return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
