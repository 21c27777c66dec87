import { closeSync, fsyncSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createOutputFile } from './safe-output.ts';

/**
 * Writes a file atomically: the content goes to a temporary file in the same directory, is synced,
 * then renamed over the target, so a reader (or a killed run) sees the old file or the new one,
 * never half of one. The temporary file is created exclusively without following links, and the
 * rename replaces a link planted at the target's name instead of writing through it.
 */
export function writeFileAtomic(file: string, content: string): void {
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  let fd: number | undefined;
  try {
    fd = createOutputFile(temporary);
    writeSync(fd, content, null, 'utf8');
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temporary, file);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
}
