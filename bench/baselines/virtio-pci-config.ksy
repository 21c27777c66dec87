# The xvc benchmark's Kaitai Struct baseline: the same decode as generated/ts (PCI type-0 header, then
# every capability of the legacy list, virtio vendor capabilities decoded by cfg_type, MSI-X by its
# fields, any other capability as its two-byte header). Written for the benchmark, from the spec YAML.
meta:
  id: virtio_pci_config
  title: PCI type-0 configuration space with virtio-pci capabilities
  endian: le
  bit-endian: le
doc: |
  256-byte configuration space of a virtio-pci function. The capability list is followed through
  lazily evaluated `next` instances, with a depth bound so a looping list ends.
seq:
  - id: header
    type: type0_header
instances:
  first_cap:
    pos: header.capabilities_pointer & 0xfc
    type: capability(0)
    if: (header.status & 0x10) != 0 and (header.capabilities_pointer & 0xfc) >= 0x40
types:
  type0_header:
    seq:
      - { id: vendor_id, type: u2 }
      - { id: device_id, type: u2 }
      - { id: command, type: u2 }
      - { id: status, type: u2 }
      - { id: revision_id, type: u1 }
      - { id: prog_if, type: u1 }
      - { id: sub_class, type: u1 }
      - { id: base_class, type: u1 }
      - { id: cache_line_size, type: u1 }
      - { id: latency_timer, type: u1 }
      - { id: header_layout, type: b7 }
      - { id: multi_function, type: b1 }
      - { id: bist, type: u1 }
      - { id: bar0, type: u4 }
      - { id: bar1, type: u4 }
      - { id: bar2, type: u4 }
      - { id: bar3, type: u4 }
      - { id: bar4, type: u4 }
      - { id: bar5, type: u4 }
      - { id: cardbus_cis, type: u4 }
      - { id: subsystem_vendor_id, type: u2 }
      - { id: subsystem_id, type: u2 }
      - { id: rom_enable, type: b1 }
      - { id: rom_reserved, type: b10 }
      - { id: rom_address, type: b21 }
      - { id: capabilities_pointer, type: u1 }
      - { id: reserved, size: 7 }
      - { id: interrupt_line, type: u1 }
      - { id: interrupt_pin, type: u1 }
      - { id: min_gnt, type: u1 }
      - { id: max_lat, type: u1 }
  capability:
    params:
      - { id: depth, type: u1 }
    seq:
      - { id: cap_id, type: u1 }
      - { id: cap_next, type: u1 }
      - id: body
        type:
          switch-on: cap_id
          cases:
            0x09: virtio_cap
            0x11: msix_body
    instances:
      next:
        pos: cap_next & 0xfc
        type: capability(depth + 1)
        if: (cap_next & 0xfc) >= 0x40 and depth < 47
  msix_body:
    seq:
      - { id: table_size, type: b11 }
      - { id: control_reserved, type: b3 }
      - { id: function_mask, type: b1 }
      - { id: enable, type: b1 }
      - { id: table_bir, type: b3 }
      - { id: table_offset, type: b29 }
      - { id: pba_bir, type: b3 }
      - { id: pba_offset, type: b29 }
  virtio_cap:
    seq:
      - { id: cap_len, type: u1 }
      - { id: cfg_type, type: u1 }
      - id: body
        type:
          switch-on: cfg_type
          cases:
            9: vndr_data_body
            _: generic_body
  generic_body:
    seq:
      - { id: bar, type: u1 }
      - { id: id, type: u1 }
      - { id: padding, size: 2 }
      - { id: offset, type: u4 }
      - { id: length, type: u4 }
      - id: extra
        type:
          switch-on: _parent.cfg_type
          cases:
            2: notify_extra
            5: pci_cfg_extra
            8: cap64_extra
  notify_extra:
    seq:
      - { id: notify_off_multiplier, type: u4 }
  pci_cfg_extra:
    seq:
      - { id: pci_cfg_data, size: 4 }
  cap64_extra:
    seq:
      - { id: offset_hi, type: u4 }
      - { id: length_hi, type: u4 }
  vndr_data_body:
    seq:
      - { id: vendor_id, type: u2 }
      - id: data
        size: '_parent.cap_len >= 6 ? _parent.cap_len - 6 : 0'
