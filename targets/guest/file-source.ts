/**
 * A {@link ByteSource} over a file on disk: reads only the ranges asked for, so reading the section
 * table of a large module or executable never loads the whole file.
 */
import { open } from 'node:fs/promises';
import type { ByteSource } from './elf-file.ts';

/** Opens `path`, runs `body` with a byte source over it, and closes the file whatever happens. */
export async function withOpenFile<T>(path: string, body: (source: ByteSource) => Promise<T>): Promise<T> {
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    return await body({
      size,
      read: async (offset, length) => {
        const buffer = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
        return buffer.subarray(0, bytesRead);
      },
    });
  } finally {
    await handle.close();
  }
}
