import type { Layer } from '@deck.gl/core';
import { GeoJsonLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';

/** A suggested site as the map draws it (the engine's SuggestedSite satisfies it). */
export interface MapSuggestedSite {
  rank: number;
  feature: Feature<Polygon | MultiPolygon>;
}

/** Amber outline and badge of a candidate site: distinct from the cell palette and the drawn parks. */
const CANDIDATE_COLOR: [number, number, number, number] = [217, 119, 6, 255];

/** The mean of a site's outer ring: where its number sits (sites are small, compact squares). */
function badgePosition(site: MapSuggestedSite): Position {
  const geometry = site.feature.geometry;
  const ring = geometry.type === 'Polygon' ? geometry.coordinates[0] : geometry.coordinates[0][0];
  const points = ring.slice(0, -1);
  const x = points.reduce((sum, point) => sum + point[0], 0) / points.length;
  const y = points.reduce((sum, point) => sum + point[1], 0) / points.length;
  return [x, y];
}

/**
 * The suggested sites not yet adopted, drawn as numbered candidates: an outline and a numbered badge
 * each, so a planner sees where every suggestion lies before adopting one. No picking: the list in the
 * scenario panel is where they are chosen.
 */
export function suggestionLayers(sites: readonly MapSuggestedSite[]): Layer[] {
  if (sites.length === 0) return [];
  const badges = sites.map((site) => ({ rank: site.rank, position: badgePosition(site) }));
  return [
    new GeoJsonLayer({
      id: 'suggested-sites',
      data: sites.map((site) => site.feature),
      stroked: true,
      filled: true,
      getFillColor: [217, 119, 6, 60],
      getLineColor: CANDIDATE_COLOR,
      lineWidthUnits: 'pixels',
      getLineWidth: 2,
      pickable: false,
    }),
    new ScatterplotLayer<{ rank: number; position: Position }>({
      id: 'suggested-site-badges',
      data: badges,
      getPosition: (badge) => badge.position as [number, number],
      radiusUnits: 'pixels',
      getRadius: 10,
      getFillColor: CANDIDATE_COLOR,
      stroked: true,
      getLineColor: [255, 255, 255, 255],
      lineWidthUnits: 'pixels',
      getLineWidth: 1.5,
      pickable: false,
    }),
    new TextLayer<{ rank: number; position: Position }>({
      id: 'suggested-site-numbers',
      data: badges,
      getPosition: (badge) => badge.position as [number, number],
      getText: (badge) => String(badge.rank),
      getSize: 12,
      getColor: [255, 255, 255, 255],
      fontWeight: 700,
      characterSet: '0123456789',
      pickable: false,
    }),
  ];
}
