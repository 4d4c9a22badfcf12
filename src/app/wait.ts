/** Resolves once `check()` holds (polled every 100 ms), or rejects after `timeoutMs`. */
export function until(check: () => boolean, timeoutMs = 180_000): Promise<void> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (check()) resolve();
      else if (performance.now() - start > timeoutMs) reject(new Error('the map took too long to draw'));
      else setTimeout(poll, 100);
    };
    poll();
  });
}

/** Resolves on the next animation frame. */
export const frame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => resolve()));

/** Metres per CSS pixel at the map's centre, from the screen positions of two points 1 km apart. */
export function metresPerPixelAt(
  project: (longitude: number, latitude: number) => [number, number],
  longitude: number,
  latitude: number,
): number | null {
  const dLon = 1000 / (111_320 * Math.cos((latitude * Math.PI) / 180));
  const a = project(longitude, latitude);
  const b = project(longitude + dLon, latitude);
  const pixels = Math.hypot(b[0] - a[0], b[1] - a[1]);
  return pixels > 0 ? 1000 / pixels : null;
}
