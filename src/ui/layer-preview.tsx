import type { FeatureCollection, Position } from 'geojson';
import { useMemo } from 'preact/hooks';

/** How one layer is drawn in the preview. */
export interface PreviewLayer {
  collection: FeatureCollection;
  fill: string | null;
  stroke: string;
}

/** Features drawn per layer at most: a preview, not a map (a city's buildings would be millions of points). */
const maxFeaturesPerLayer = 4000;

/**
 * A still picture of layers before they are used (an OpenStreetMap extract's derived layers in its
 * dialog): their outlines in one SVG, in an equirectangular frame scaled by the latitude's cosine, so a
 * planner sees where the data lies and what each layer covers without a round trip to the map.
 */
export function LayerPreview({
  layers,
  width = 640,
  height = 260,
  label,
}: {
  layers: PreviewLayer[];
  width?: number;
  height?: number;
  label: string;
}) {
  const paths = useMemo(() => previewPaths(layers, width, height), [layers, width, height]);
  if (!paths) return null;
  return (
    <svg
      class="layer-preview"
      viewBox={`0 0 ${width} ${height}`}
      width="100%"
      role="img"
      aria-label={label}
      data-testid="layer-preview"
    >
      <rect width={width} height={height} fill="#f3f0e8" />
      {paths.map((path, index) => (
        <path
          key={index}
          d={path.d}
          fill={path.fill ?? 'none'}
          stroke={path.stroke}
          stroke-width="0.8"
          fill-rule="evenodd"
        />
      ))}
    </svg>
  );
}

/** SVG path data of each layer, or null when the layers hold no position. */
export function previewPaths(
  layers: PreviewLayer[],
  width: number,
  height: number,
): { d: string; fill: string | null; stroke: string }[] | null {
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  const visit = (positions: Position[]) => {
    for (const [x, y] of positions) {
      if (x < west) west = x;
      if (x > east) east = x;
      if (y < south) south = y;
      if (y > north) north = y;
    }
  };
  const lines = layers.map(({ collection }) => ringsOf(collection));
  for (const rings of lines) for (const ring of rings) visit(ring);
  if (!Number.isFinite(west)) return null;
  // Degrees of longitude are shorter by cos(latitude): scale them so shapes keep their proportions.
  const kx = Math.cos((((south + north) / 2) * Math.PI) / 180);
  const spanX = Math.max((east - west) * kx, 1e-9);
  const spanY = Math.max(north - south, 1e-9);
  const scale = Math.min((width - 8) / spanX, (height - 8) / spanY);
  const offsetX = (width - spanX * scale) / 2;
  const offsetY = (height - spanY * scale) / 2;
  const px = (x: number) => (offsetX + (x - west) * kx * scale).toFixed(1);
  const py = (y: number) => (offsetY + (north - y) * scale).toFixed(1);
  return layers.map((layer, index) => ({
    d: lines[index]
      .map((ring) => `M${ring.map(([x, y]) => `${px(x)} ${py(y)}`).join('L')}${layer.fill ? 'Z' : ''}`)
      .join(''),
    fill: layer.fill,
    stroke: layer.stroke,
  }));
}

/** Every line and ring of a collection's first features (points become tiny squares). */
function ringsOf(collection: FeatureCollection): Position[][] {
  const rings: Position[][] = [];
  for (const feature of collection.features.slice(0, maxFeaturesPerLayer)) {
    const geometry = feature.geometry;
    if (!geometry) continue;
    if (geometry.type === 'LineString') rings.push(geometry.coordinates);
    else if (geometry.type === 'MultiLineString' || geometry.type === 'Polygon') rings.push(...geometry.coordinates);
    else if (geometry.type === 'MultiPolygon') for (const polygon of geometry.coordinates) rings.push(...polygon);
    else if (geometry.type === 'Point') rings.push([geometry.coordinates, geometry.coordinates]);
  }
  return rings;
}
