/** Screen space covered by panels, in CSS pixels from each edge of the map. */
export interface ScreenInsets {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export const noInsets: ScreenInsets = { top: 0, right: 0, bottom: 0, left: 0 };

/**
 * Padding for a fitBounds on a `widthPixels` × `heightPixels` map: `marginPixels` around the fitted
 * area plus the insets. Where the padding would take more than 80% of the map on an axis (a small
 * screen, a tall caption), both sides of that axis shrink in proportion, so a fit always has room:
 * MapLibre refuses to fit, and silently does nothing, when padding fills the map.
 */
export function fitPadding(
  insets: ScreenInsets,
  widthPixels: number,
  heightPixels: number,
  marginPixels = 40,
): ScreenInsets {
  const axis = (start: number, end: number, size: number): [number, number] => {
    const wanted = Math.max(0, start) + Math.max(0, end) + 2 * marginPixels;
    const allowed = size * 0.8;
    const scale = wanted > allowed && wanted > 0 ? allowed / wanted : 1;
    return [(Math.max(0, start) + marginPixels) * scale, (Math.max(0, end) + marginPixels) * scale];
  };
  const [left, right] = axis(insets.left, insets.right, widthPixels);
  const [top, bottom] = axis(insets.top, insets.bottom, heightPixels);
  return { top, right, bottom, left };
}
