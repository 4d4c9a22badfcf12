import { GeoJsonLayer } from '@deck.gl/layers';
import type { Feature, FeatureCollection } from 'geojson';
import type * as maplibregl from 'maplibre-gl';
import type { PlannerMap } from './planner-map';

/** What the measuring tool measures: a path's length, a drawn polygon's area, or an existing polygon picked by a click. */
export type MeasureMode = 'distance' | 'walk' | 'area' | 'pick';

/** The measuring state the map reads and adds points to (the state's MeasureController satisfies it). */
export interface MeasureTarget {
  mode(): MeasureMode | null;
  points(): readonly (readonly [number, number])[];
  /** A line to draw instead of joining the points (a walk along the streets), or null. */
  route?(): readonly (readonly [number, number])[] | null;
  addPoint(point: [number, number]): void;
  subscribe(listener: () => void): () => void;
}

/**
 * Measuring on the map: while a mode is on, a click (not a drag: the map still pans) adds a point,
 * and the path or polygon is drawn over the map with deck.gl's GeoJSON layer (the programs scenario
 * editing compiles anyway). Clicks then select no community.
 */
export class MeasureTool {
  private readonly unsubscribe: () => void;
  private readonly previousSuppressed: (() => boolean) | null;
  private readonly onClick = (event: maplibregl.MapMouseEvent) => {
    if (!this.target.mode()) return;
    this.target.addPoint([event.lngLat.lng, event.lngLat.lat]);
  };

  constructor(
    private readonly map: PlannerMap,
    private readonly target: MeasureTarget,
  ) {
    this.previousSuppressed = map.clickSuppressed;
    const previous = this.previousSuppressed;
    map.clickSuppressed = () => this.target.mode() !== null || (previous?.() ?? false);
    map.map.on('click', this.onClick);
    this.unsubscribe = target.subscribe(() => this.draw());
    this.draw();
  }

  private draw(): void {
    const mode = this.target.mode();
    const points = this.target.points();
    if (!mode || points.length === 0) {
      this.map.setExtraLayers('measure', []);
      this.map.map.getCanvas().style.cursor = mode ? 'crosshair' : '';
      return;
    }
    this.map.map.getCanvas().style.cursor = 'crosshair';
    const coordinates = points.map((point) => [point[0], point[1]]);
    const features: Feature[] = coordinates.map((coordinate) => ({
      type: 'Feature',
      properties: {},
      geometry: { type: 'Point', coordinates: coordinate },
    }));
    if (mode === 'area' && coordinates.length >= 3) {
      features.unshift({
        type: 'Feature',
        properties: {},
        geometry: { type: 'Polygon', coordinates: [[...coordinates, coordinates[0]]] },
      });
    } else if (coordinates.length >= 2) {
      const route = this.target.route?.();
      const line = route && route.length >= 2 ? route.map((point) => [point[0], point[1]]) : coordinates;
      features.unshift({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: line } });
    }
    const data: FeatureCollection = { type: 'FeatureCollection', features };
    this.map.setExtraLayers('measure', [
      new GeoJsonLayer({
        id: 'measure',
        data,
        stroked: true,
        filled: true,
        getFillColor: [255, 140, 0, 50],
        getLineColor: [230, 90, 0, 255],
        lineWidthUnits: 'pixels',
        getLineWidth: 3,
        pointRadiusUnits: 'pixels',
        getPointRadius: 5,
        lineCapRounded: true,
        lineJointRounded: true,
      }),
    ]);
  }

  destroy(): void {
    this.unsubscribe();
    this.map.map.off('click', this.onClick);
    this.map.clickSuppressed = this.previousSuppressed;
    this.map.setExtraLayers('measure', []);
    this.map.map.getCanvas().style.cursor = '';
  }
}
