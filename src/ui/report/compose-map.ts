/**
 * Draws every canvas inside `container` (MapLibre's and deck.gl's, both keeping their drawing buffer)
 * onto one canvas of the container's CSS size × `pixelRatio`, over white.
 */
export function composeMapCanvas(container: HTMLElement, pixelRatio: number): HTMLCanvasElement {
  const box = container.getBoundingClientRect();
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(box.width * pixelRatio);
  canvas.height = Math.round(box.height * pixelRatio);
  const context = canvas.getContext('2d')!;
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  for (const source of container.querySelectorAll('canvas')) {
    const rect = source.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) continue;
    context.drawImage(
      source,
      (rect.left - box.left) * pixelRatio,
      (rect.top - box.top) * pixelRatio,
      rect.width * pixelRatio,
      rect.height * pixelRatio,
    );
  }
  return canvas;
}

/** A canvas as a PNG blob. */
export function canvasPng(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('the map could not be drawn to PNG'))),
      'image/png',
    ),
  );
}
