declare module 'polylabel' {
  /** The pole of inaccessibility of a polygon (outer ring, then holes): the interior point farthest from its edges. */
  export default function polylabel(polygon: number[][][], precision?: number): number[] & { distance: number };
}
