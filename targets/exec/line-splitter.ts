/**
 * Cuts a byte stream into lines, however the writer split its writes, with a cap on the length of one
 * line so that an adapter printing without newlines cannot make xvc buffer without bound.
 */

/** What one chunk produced: complete lines, and whether the cap was hit (the rest is then ignored). */
export interface SplitResult {
  lines: string[];
  overflow: boolean;
}

/** Incremental newline framing of UTF-8 text; `\r\n` is accepted as a line end too. */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private overflowed = false;

  constructor(private readonly maxLineBytes: number) {}

  /** Bytes held for a line not yet ended. */
  get buffered(): number {
    return this.pendingBytes;
  }

  /** Feeds one chunk; once a line exceeded the cap, every later chunk reports overflow and no lines. */
  push(chunk: Buffer): SplitResult {
    if (this.overflowed) return { lines: [], overflow: true };
    const lines: string[] = [];
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(0x0a, start);
      if (newline < 0) break;
      const piece = chunk.subarray(start, newline);
      if (this.pendingBytes + piece.length > this.maxLineBytes) return this.overflow(lines);
      const line = this.pending.length === 0 ? piece : Buffer.concat([...this.pending, piece]);
      this.pending = [];
      this.pendingBytes = 0;
      const text = line.toString('utf8');
      lines.push(text.endsWith('\r') ? text.slice(0, -1) : text);
      start = newline + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      if (this.pendingBytes + rest.length > this.maxLineBytes) return this.overflow(lines);
      this.pending.push(rest);
      this.pendingBytes += rest.length;
    }
    return { lines, overflow: false };
  }

  private overflow(lines: string[]): SplitResult {
    this.overflowed = true;
    this.pending = [];
    this.pendingBytes = 0;
    return { lines, overflow: true };
  }
}
