/**
 * A FIFO of byte chunks from a stream, from which fixed-size pieces are taken without copying when a
 * piece lies inside one chunk. Used to cut a PBF stream into its length-prefixed blobs.
 */
export class ByteQueue {
  private chunks: Uint8Array[] = [];
  private head = 0;
  /** Bytes queued and not yet taken. */
  length = 0;

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  /** The next `count` bytes (caller checks `length >= count`). */
  take(count: number): Uint8Array {
    const first = this.chunks[0];
    if (first && first.length - this.head >= count) {
      const piece = first.subarray(this.head, this.head + count);
      this.head += count;
      this.length -= count;
      if (this.head === first.length) {
        this.chunks.shift();
        this.head = 0;
      }
      return piece;
    }
    const out = new Uint8Array(count);
    let at = 0;
    while (at < count) {
      const chunk = this.chunks[0];
      const n = Math.min(count - at, chunk.length - this.head);
      out.set(chunk.subarray(this.head, this.head + n), at);
      at += n;
      this.head += n;
      if (this.head === chunk.length) {
        this.chunks.shift();
        this.head = 0;
      }
    }
    this.length -= count;
    return out;
  }
}
