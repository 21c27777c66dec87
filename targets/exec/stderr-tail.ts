/** Keeps the most recent bytes an adapter wrote to stderr, for error reports. */
export class StderrTail {
  private chunks: Buffer[] = [];
  private bytes = 0;

  constructor(private readonly limit: number) {}

  /** Adds a chunk, dropping the oldest bytes beyond the limit. */
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    while (this.bytes > this.limit && this.chunks.length > 1) this.bytes -= this.chunks.shift()!.length;
    if (this.bytes > this.limit) {
      this.chunks = [this.chunks[0]!.subarray(this.bytes - this.limit)];
      this.bytes = this.limit;
    }
  }

  /** The kept text (a leading partial character is replaced, never thrown on). */
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}
