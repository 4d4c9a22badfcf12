/** Pieces of a file (as the chunked writers yield them) joined into one array, in order. */
export function joinBytes(pieces: Iterable<Uint8Array>): Uint8Array {
  const all = [...pieces];
  const out = new Uint8Array(all.reduce((sum, piece) => sum + piece.length, 0));
  let offset = 0;
  for (const piece of all) {
    out.set(piece, offset);
    offset += piece.length;
  }
  return out;
}
