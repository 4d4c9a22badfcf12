import { COORDINATE_SYSTEM, type Layer } from '@deck.gl/core';
import { ColumnLayer, GeoJsonLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { Feature, FeatureCollection, Position } from 'geojson';
import type { Handle } from '../geometry/vertex-handles';
import type { DrawState } from './draw-editor';

/**
 * The deck.gl layers scenario editing draws over the map: the cells whose verdict changed, the
 * scenario's features, the selected one and the shape being drawn, and the selected feature's handles.
 */

/** What is drawn besides the editor's state: the shape in progress and the handles. */
export interface DrawOverlay {
  /** Corners of the pocket park rectangle being dragged out, or null. */
  rectangle: [Position, Position] | null;
  /** Vertices of the greenway being drawn, and the pointer position for the rubber band. */
  greenway: Position[];
  hover: Position | null;
  /** The selected feature's handles (none when it shows none). */
  handles: Handle[];
  /** Handles are drawn larger after a touch (a finger needs a bigger target). */
  coarsePointer: boolean;
}

/** The changed cells' centres as offsets from the grid's south-west corner, computed once per change. */
export class ChangedCellPositions {
  private cached: { changed: Uint32Array; positions: Float32Array } | null = null;

  of(state: DrawState): Float32Array {
    const result = state.result;
    if (!result || !state.changedCells) return new Float32Array(0);
    if (this.cached?.changed === state.changedCells) return this.cached.positions;
    const { grid, cellIndex } = result;
    const positions = new Float32Array(state.changedCells.length * 2);
    state.changedCells.forEach((k, n) => {
      const row = Math.floor(cellIndex[k] / grid.columns);
      const column = cellIndex[k] - row * grid.columns;
      positions[n * 2] = (column + 0.5) * grid.longitudeStep;
      positions[n * 2 + 1] = (row + 0.5) * grid.latitudeStep;
    });
    this.cached = { changed: state.changedCells, positions };
    return positions;
  }
}

/** The outlines of the changed cells (diamonds turned square), one draw call. */
function changedCellsLayer(state: DrawState, changed: Float32Array): Layer | null {
  const grid = state.result?.grid;
  if (!grid) return null;
  return new ColumnLayer({
    id: 'scenario-changed-cells',
    coordinateSystem: COORDINATE_SYSTEM.LNGLAT_OFFSETS,
    coordinateOrigin: [grid.west, grid.south, 0],
    diskResolution: 4,
    angle: 45,
    radius: grid.cellMeters / Math.SQRT2,
    extruded: false,
    getElevation: 0,
    data: { length: changed.length / 2, attributes: { getPosition: { value: changed, size: 2 } } },
    filled: false,
    stroked: true,
    getLineColor: [0, 60, 220, 255],
    lineWidthUnits: 'pixels',
    getLineWidth: 1.5,
    updateTriggers: { getPosition: changed },
  });
}

/** The shape being drawn: the pocket park rectangle, the greenway with its rubber band. */
function previewFeatures(overlay: DrawOverlay): Feature[] {
  const preview: Feature[] = [];
  if (overlay.rectangle) {
    const [a, b] = overlay.rectangle;
    preview.push({
      type: 'Feature',
      properties: {},
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [a[0], a[1]],
            [b[0], a[1]],
            [b[0], b[1]],
            [a[0], b[1]],
            [a[0], a[1]],
          ],
        ],
      },
    });
  }
  if (overlay.greenway.length > 0) {
    const points = overlay.hover ? [...overlay.greenway, overlay.hover] : overlay.greenway;
    preview.push({
      type: 'Feature',
      properties: {},
      geometry:
        points.length > 1 ? { type: 'LineString', coordinates: points } : { type: 'Point', coordinates: points[0] },
    });
  }
  return preview;
}

/** The selected feature's vertex and midpoint handles, the selected vertex filled. */
function handlesLayer(state: DrawState, overlay: DrawOverlay): Layer {
  const vertex = state.selectedVertex;
  const isSelected = (handle: Handle) =>
    handle.kind === 'vertex' &&
    vertex !== null &&
    handle.index === vertex.index &&
    handle.path.join() === vertex.path.join();
  const [vertexRadius, midpointRadius] = overlay.coarsePointer ? [9, 7] : [6, 4];
  return new ScatterplotLayer<Handle>({
    id: 'scenario-vertex-handles',
    // Midpoints first, so vertices are drawn over them.
    data: [...overlay.handles].reverse(),
    getPosition: (handle) => handle.position as [number, number],
    radiusUnits: 'pixels',
    getRadius: (handle) => (handle.kind === 'vertex' ? vertexRadius : midpointRadius),
    stroked: true,
    filled: true,
    lineWidthUnits: 'pixels',
    getLineWidth: (handle) => (handle.kind === 'vertex' ? 2 : 1.5),
    getLineColor: (handle) => (handle.kind === 'vertex' ? [220, 30, 30, 255] : [220, 30, 30, 200]),
    getFillColor: (handle) =>
      isSelected(handle) ? [220, 30, 30, 255] : handle.kind === 'vertex' ? [255, 255, 255, 255] : [255, 255, 255, 150],
    updateTriggers: {
      getFillColor: [vertex?.path.join(), vertex?.index],
      getRadius: [vertexRadius],
    },
  });
}

/** Every layer of scenario editing, bottom to top. */
export function drawLayers(state: DrawState, overlay: DrawOverlay, changed: Float32Array): Layer[] {
  const layers: Layer[] = [];
  const cells = changedCellsLayer(state, changed);
  if (cells) layers.push(cells);
  const collection: FeatureCollection = { type: 'FeatureCollection', features: state.features.map((f) => f.feature) };
  layers.push(
    new GeoJsonLayer({
      id: 'scenario-features',
      data: collection,
      stroked: true,
      filled: true,
      getFillColor: [60, 200, 90, 220],
      getLineColor: [255, 120, 0, 255],
      lineWidthUnits: 'pixels',
      getLineWidth: (feature: Feature) => (feature.geometry?.type.includes('LineString') ? 5 : 2),
      lineCapRounded: true,
      lineJointRounded: true,
    }),
  );
  const selected = state.features.find((f) => f.key === state.selectedKey);
  const preview = previewFeatures(overlay);
  layers.push(
    new GeoJsonLayer({
      id: 'scenario-selected',
      data: selected ? [selected.feature, ...preview] : preview,
      stroked: true,
      filled: false,
      getLineColor: [220, 30, 30, 255],
      lineWidthUnits: 'pixels',
      getLineWidth: 3,
      pointRadiusUnits: 'pixels',
      getPointRadius: 5,
      getFillColor: [220, 30, 30, 255],
    }),
  );
  if (overlay.handles.length > 0) layers.push(handlesLayer(state, overlay));
  return layers;
}
