/**
 * A writer for the newc cpio format, the format the Linux kernel unpacks as its initramfs. Building
 * the archive in memory needs no root: ownership and device numbers are just header fields, so a
 * `/dev/console` node can be part of it without `mknod`.
 */
import { XvcError } from '../../core/xvc-error.ts';
import {
  encodeInitramfsNewcHeader,
  INITRAMFS_MODE_CHAR_DEVICE,
  INITRAMFS_MODE_DIRECTORY,
  INITRAMFS_MODE_REGULAR,
  INITRAMFS_MODE_SYMLINK,
  INITRAMFS_NEWC_ALIGN,
  INITRAMFS_NEWC_FIELD_DIGITS,
  INITRAMFS_NEWC_HEADER_SIZE,
  INITRAMFS_NEWC_MAGIC,
  INITRAMFS_NEWC_TRAILER,
  type InitramfsNewcHeader,
} from '../../generated/ts/linux/initramfs-newc-header.ts';

/** One entry of an archive. Paths are relative (`bin/busybox`), without `.` or `..` components. */
export type NewcEntry =
  | { readonly kind: 'directory'; readonly path: string; readonly mode?: number }
  | { readonly kind: 'file'; readonly path: string; readonly data: Uint8Array; readonly mode?: number }
  | { readonly kind: 'symlink'; readonly path: string; readonly target: string }
  | { readonly kind: 'char-device'; readonly path: string; readonly major: number; readonly minor: number; readonly mode?: number };

/** An entry the format cannot hold (a bad path, a field that does not fit 8 hex digits). */
export class NewcArchiveError extends XvcError<'initramfsEntry'> {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super('initramfsEntry', `initramfs entry '${path}': ${message}`, { path });
  }
}

const PERMISSION_BITS = 0o7777;
const DEFAULT_DIRECTORY_MODE = 0o755;
const DEFAULT_FILE_MODE = 0o644;
const SYMLINK_MODE = 0o777;
const DEFAULT_DEVICE_MODE = 0o600;
/** Largest value of an 8-hex-digit field. */
const FIELD_MAX = 16 ** INITRAMFS_NEWC_FIELD_DIGITS - 1;
const encoder = new TextEncoder();

function field(path: string, name: string, value: number): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > FIELD_MAX) throw new NewcArchiveError(path, `${name} ${value} does not fit ${INITRAMFS_NEWC_FIELD_DIGITS} hex digits`);
  return encoder.encode(value.toString(16).padStart(INITRAMFS_NEWC_FIELD_DIGITS, '0'));
}

function checkPath(path: string): void {
  if (path.length === 0 || path.startsWith('/') || path.includes('\0')) throw new NewcArchiveError(path, 'a path must be relative, non-empty and without NUL');
  if (path.split('/').some((part) => part === '' || part === '.' || part === '..')) throw new NewcArchiveError(path, "a path may not contain empty, '.' or '..' components");
}

function padding(length: number): number {
  return (INITRAMFS_NEWC_ALIGN - (length % INITRAMFS_NEWC_ALIGN)) % INITRAMFS_NEWC_ALIGN;
}

interface Record {
  name: string;
  mode: number;
  nlink: number;
  data: Uint8Array;
  rmajor: number;
  rminor: number;
}

function toRecord(entry: NewcEntry): Record {
  checkPath(entry.path);
  const base = { name: entry.path, nlink: 1, rmajor: 0, rminor: 0, data: new Uint8Array(0) };
  switch (entry.kind) {
    case 'directory':
      return { ...base, nlink: 2, mode: INITRAMFS_MODE_DIRECTORY | ((entry.mode ?? DEFAULT_DIRECTORY_MODE) & PERMISSION_BITS) };
    case 'file':
      return { ...base, data: entry.data, mode: INITRAMFS_MODE_REGULAR | ((entry.mode ?? DEFAULT_FILE_MODE) & PERMISSION_BITS) };
    case 'symlink':
      if (entry.target.length === 0 || entry.target.includes('\0')) throw new NewcArchiveError(entry.path, 'a symlink target must be non-empty and without NUL');
      return { ...base, data: encoder.encode(entry.target), mode: INITRAMFS_MODE_SYMLINK | SYMLINK_MODE };
    case 'char-device':
      return { ...base, rmajor: entry.major, rminor: entry.minor, mode: INITRAMFS_MODE_CHAR_DEVICE | ((entry.mode ?? DEFAULT_DEVICE_MODE) & PERMISSION_BITS) };
  }
}

function header(record: Record, ino: number, nameSize: number): Uint8Array {
  const path = record.name;
  const zero = field(path, 'zero', 0);
  const value: InitramfsNewcHeader = {
    magic: encoder.encode(INITRAMFS_NEWC_MAGIC),
    ino: field(path, 'ino', ino),
    mode: field(path, 'mode', record.mode),
    uid: zero,
    gid: zero,
    nlink: field(path, 'nlink', record.nlink),
    // A fixed mtime keeps archives byte-identical across builds, so they can be cached by content.
    mtime: zero,
    filesize: field(path, 'filesize', record.data.length),
    maj: zero,
    min: zero,
    rmaj: field(path, 'rmaj', record.rmajor),
    rmin: field(path, 'rmin', record.rminor),
    namesize: field(path, 'namesize', nameSize),
    chksum: zero,
  };
  return encodeInitramfsNewcHeader(value);
}

/**
 * Writes `entries` as a newc archive, in the order given (a directory must come before what it
 * holds), followed by the trailer. Throws {@link NewcArchiveError} for an entry the format cannot hold.
 */
export function writeNewcArchive(entries: readonly NewcEntry[]): Uint8Array {
  const records = entries.map(toRecord);
  records.push({ name: INITRAMFS_NEWC_TRAILER, mode: 0, nlink: 1, data: new Uint8Array(0), rmajor: 0, rminor: 0 });
  const parts: Uint8Array[] = [];
  let length = 0;
  const push = (bytes: Uint8Array): void => {
    parts.push(bytes);
    length += bytes.length;
  };
  records.forEach((record, index) => {
    const name = encoder.encode(`${record.name}\0`);
    const isTrailer = index === records.length - 1;
    push(header(record, isTrailer ? 0 : index + 1, name.length));
    push(name);
    push(new Uint8Array(padding(INITRAMFS_NEWC_HEADER_SIZE + name.length)));
    push(record.data);
    push(new Uint8Array(padding(record.data.length)));
  });
  const archive = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    archive.set(part, at);
    at += part.length;
  }
  return archive;
}
