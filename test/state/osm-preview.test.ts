import type { FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import { osmPreview, previewBounds } from '../../src/state/osm-preview';
import type { OsmDerivation } from '../../src/worker/osm-client';

// What the map previews of an extract's derivation while its dialog is open.

const points = (positions: [number, number][]): FeatureCollection => ({
  type: 'FeatureCollection',
  features: positions.map((coordinates) => ({
    type: 'Feature',
    properties: {},
    geometry: { type: 'Point', coordinates },
  })),
});

const derivation = (layers: OsmDerivation['layers']): OsmDerivation =>
  ({ layers, report: { layers: {}, skipped: [] }, leftOut: [] }) as unknown as OsmDerivation;

describe('osmPreview', () => {
  const streets = points([
    [1, 2],
    [3, 4],
    [5, 6],
  ]);
  const greenspaces = points([[-1, 0]]);
  const state = {
    phase: 'ready' as const,
    derivation: derivation({ streets, greenspaces, buildings: points([]) }),
    droppedLayers: [],
  };

  it('is the derived layers with features, not dropped, as the same collections', () => {
    const preview = osmPreview(state)!;
    expect(preview.layers).toEqual({ streets, greenspaces });
    expect(preview.layers.streets).toBe(streets);
    expect(preview.partial).toEqual([]);
    expect(osmPreview({ ...state, droppedLayers: ['greenspaces'] })!.layers).toEqual({ streets });
  });

  it('is null while nothing is derived, on failure and once closed', () => {
    expect(osmPreview({ ...state, derivation: null })).toBeNull();
    expect(osmPreview({ ...state, phase: 'failed' })).toBeNull();
    expect(osmPreview({ ...state, phase: 'idle' })).toBeNull();
    // While a switched rule derives again, the last derivation stays on the map.
    expect(osmPreview({ ...state, phase: 'deriving' })!.layers.streets).toBe(streets);
  });

  it('cuts a long layer to the budget, says so, and cuts it once (the map is not sent it again)', () => {
    const preview = osmPreview(state, 2)!;
    expect((preview.layers.streets as FeatureCollection).features).toEqual(streets.features.slice(0, 2));
    expect(preview.partial).toEqual([{ layer: 'streets', drawn: 2, total: 3 }]);
    expect(osmPreview({ ...state, droppedLayers: ['greenspaces'] }, 2)!.layers.streets).toBe(preview.layers.streets);
  });

  it("takes a layer's preview by the worker's URL where there is one, the collection elsewhere", () => {
    const derivation = { ...state.derivation!, previewUrls: { streets: 'blob:streets' } };
    const preview = osmPreview({ ...state, derivation })!;
    expect(preview.layers.streets).toBe('blob:streets');
    expect(preview.layers.greenspaces).toBe(state.derivation!.layers.greenspaces);
  });

  it("bounds every previewed layer's positions", () => {
    expect(previewBounds(osmPreview(state)!)).toEqual([-1, 0, 5, 6]);
    expect(previewBounds({ layers: {}, partial: [] })).toBeNull();
  });
});
