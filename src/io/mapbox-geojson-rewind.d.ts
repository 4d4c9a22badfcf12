/** Types for `@mapbox/geojson-rewind` (the package ships none). */
declare module '@mapbox/geojson-rewind' {
  /**
   * Rewinds polygon rings in place and returns its argument. `clockwiseOuter` false (the default) gives
   * RFC 7946 order: exterior rings counter-clockwise, holes clockwise.
   */
  export default function rewind<T>(geojson: T, clockwiseOuter?: boolean): T;
}
