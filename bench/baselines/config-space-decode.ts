/**
 * The result shape every decoder of the layout-decode benchmark returns, so that the generated code,
 * the hand-written baseline and the Kaitai baseline can be checked against each other.
 */

/** One capability of the list, as found at `offset`. */
export interface DecodedCapability {
  offset: number;
  /** virtio: a vendor-specific capability decoded through the virtio_pci_capability union. */
  kind: 'virtio' | 'msix' | 'other';
  value: unknown;
}

/** A decoded 256-byte type-0 config space. */
export interface ConfigSpaceDecode {
  header: unknown;
  caps: DecodedCapability[];
  /** How many constraint violations the decode found. */
  issues: number;
}
