/**
 * Keeps the most recent bytes an adapter wrote to stderr, for error reports: always the last `limit`
 * bytes written (or all of them, when fewer), however the writes were split into chunks.
 */
export class StderrTail {
  private chunks: Buffer[] = [];
  private bytes = 0;
  private total = 0;

  constructor(private readonly limit: number) {}

  /** Adds a chunk, dropping the oldest bytes beyond the limit (cutting inside a chunk where needed). */
  push(chunk: Buffer): void {
    if (chunk.length === 0 || this.limit <= 0) return;
    this.total += chunk.length;
    if (chunk.length >= this.limit) {
      // Copied: a subarray would keep the whole (possibly huge) chunk alive.
      this.chunks = [Buffer.from(chunk.subarray(chunk.length - this.limit))];
      this.bytes = this.limit;
      return;
    }
    this.chunks.push(Buffer.from(chunk));
    this.bytes += chunk.length;
    while (this.bytes > this.limit) {
      const oldest = this.chunks[0]!;
      const excess = this.bytes - this.limit;
      if (oldest.length <= excess) {
        this.chunks.shift();
        this.bytes -= oldest.length;
      } else {
        this.chunks[0] = oldest.subarray(excess);
        this.bytes -= excess;
      }
    }
  }

  /** Bytes written in all, kept or not. */
  get written(): number {
    return this.total;
  }

  /** The kept text (a leading partial character is replaced, never thrown on). */
  text(): string {
    return Buffer.concat(this.chunks, this.bytes).toString('utf8');
  }
}
