import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/coverage/input-error';
import {
  type CandidateLayer,
  candidateErrorMessage,
  candidateRecord,
  candidateRecordFormat,
  checkCandidateLayer,
  gridBounds,
  restoreCandidateRecord,
} from '../../src/state/candidate-layer';

const area: [number, number, number, number] = [104, 30.6, 104.2, 30.8];

function collection(...geometries: (Geometry | null)[]): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: geometries.map((geometry): Feature => ({ type: 'Feature', properties: {}, geometry }) as Feature),
  };
}

const parcel: Geometry = {
  type: 'Polygon',
  coordinates: [
    [
      [104.1, 30.7],
      [104.101, 30.7],
      [104.101, 30.701],
      [104.1, 30.7],
    ],
  ],
};

function thrown(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError');
}

describe('candidate layer check', () => {
  it('counts points (MultiPoint parts too), polygons, features without geometry and features outside the area', () => {
    const layer = checkCandidateLayer(
      collection(
        { type: 'Point', coordinates: [104.1, 30.7] },
        {
          type: 'MultiPoint',
          coordinates: [
            [104.05, 30.65],
            [104.06, 30.66],
          ],
        },
        parcel,
        null,
        { type: 'Point', coordinates: [105, 31] },
      ),
      'sites.geojson',
      area,
    );
    expect(layer).toMatchObject({ fileName: 'sites.geojson', points: 4, polygons: 1, skipped: 1, outside: 1 });
  });

  it('names the file, the feature and the problem for a line among the candidates', () => {
    const error = thrown(() =>
      checkCandidateLayer(
        collection(
          parcel,
          { type: 'Point', coordinates: [104.1, 30.7] },
          {
            type: 'LineString',
            coordinates: [
              [104.1, 30.7],
              [104.11, 30.71],
            ],
          },
        ),
        'sites.geojson',
        area,
      ),
    );
    expect(error.fileName).toBe('sites.geojson');
    expect(error.featureIndex).toBe(2);
    expect(error.message).toBe(
      'sites.geojson: feature 2: geometry is LineString; candidates must be points (Point, MultiPoint) or polygons (Polygon, MultiPolygon)',
    );
  });

  it('names the feature in the file when the reader dropped some (sourceIndex)', () => {
    const error = thrown(() =>
      checkCandidateLayer(collection(parcel, { type: 'Point', coordinates: [104.1, 99] }), 'sites.fgb', area, [3, 7]),
    );
    expect(error.message).toBe('sites.fgb: feature 7: coordinate [104.1, 99] is not a longitude/latitude');
  });

  it('refuses an empty layer, one with no geometry, and one wholly outside the study area', () => {
    expect(thrown(() => checkCandidateLayer(collection(), 'a.geojson', area)).message).toBe(
      'a.geojson: the file has no features',
    );
    expect(thrown(() => checkCandidateLayer(collection(null, null), 'a.geojson', area)).message).toBe(
      'a.geojson: no feature has a geometry',
    );
    const outside = thrown(() =>
      checkCandidateLayer(collection({ type: 'Point', coordinates: [116.4, 39.9] }), 'beijing.geojson', area),
    );
    expect(outside.featureIndex).toBeNull();
    expect(outside.message).toMatch(/^beijing\.geojson: no candidate lies within the study area/);
    // Without a study area, nothing is outside.
    expect(
      checkCandidateLayer(collection({ type: 'Point', coordinates: [116.4, 39.9] }), 'b.geojson', null).outside,
    ).toBe(0);
  });

  it('the study area is the grid’s extent; worker messages about candidates name the file', () => {
    expect(
      gridBounds({
        west: 104,
        south: 30,
        longitudeStep: 0.001,
        latitudeStep: 0.0005,
        columns: 100,
        rows: 200,
        cellMeters: 50,
        referenceLatitude: 30.05,
      }),
    ).toEqual([104, 30, 104.1, 30.1]);
    expect(candidateErrorMessage('candidates: feature 4: a ring is not an array of positions', 'p.fgb')).toBe(
      'p.fgb: feature 4: a ring is not an array of positions',
    );
    expect(candidateErrorMessage('no coverage has been computed yet', 'p.fgb')).toBe(
      'no coverage has been computed yet',
    );
  });
});

describe('saved candidate layer record', () => {
  const sites = collection({ type: 'Point', coordinates: [104.1, 30.7] }, parcel, null, {
    type: 'Point',
    coordinates: [105, 31],
  });
  const checked = checkCandidateLayer(sites, 'sites.fgb', area);

  /** The restored layer, failing the test when the record is refused. */
  function restored(record: unknown): { layer: CandidateLayer; source: string } {
    const result = restoreCandidateRecord(record);
    if (result instanceof Error) throw result;
    return result;
  }

  it('restores the checked layer (name, features, counts) and the chosen source from the record saved for it', () => {
    const record = candidateRecord(checked, 'land', 1_700_000_000_000);
    expect(record).toMatchObject({ format: candidateRecordFormat, fileName: 'sites.fgb', outside: 1, source: 'land' });
    // IndexedDB stores a structured clone: the restore must not depend on object identity.
    const { layer, source } = restored(structuredClone(record));
    expect(source).toBe('land');
    expect(layer).toEqual(checked);
    expect(restored({ ...record, source: 'layer' }).source).toBe('layer');
  });

  it('derives the counts from the features again; an implausible saved count outside the area becomes 0', () => {
    const record = candidateRecord(checked, 'layer');
    expect(restored({ ...record, outside: 3 }).layer.outside).toBe(0);
    expect(restored({ ...record, outside: -1 }).layer.outside).toBe(0);
    expect(restored({ ...record, outside: 'many' }).layer.outside).toBe(0);
    expect(restored({ ...record, points: 99 }).layer.points).toBe(2);
  });

  it('refuses a corrupt or old record with the reason, never throwing', () => {
    const record = candidateRecord(checked, 'layer');
    const reason = (value: unknown) => {
      const result = restoreCandidateRecord(value);
      expect(result).toBeInstanceOf(Error);
      return (result as Error).message;
    };
    expect(reason(null)).toBe('the record is not an object');
    expect(reason('sites')).toBe('the record is not an object');
    expect(reason({ ...record, format: undefined })).toBe('unknown record format undefined');
    expect(reason({ ...record, format: 2 })).toBe('unknown record format 2');
    expect(reason({ ...record, fileName: '' })).toBe('the record has no file name');
    expect(reason({ ...record, source: 'parcels' })).toBe('unknown source parcels');
    expect(reason({ ...record, collection: { type: 'FeatureCollection' } })).toBe(
      'the record holds no FeatureCollection',
    );
    expect(reason({ ...record, collection: collection() })).toBe('sites.fgb: the file has no features');
    expect(
      reason({
        ...record,
        collection: collection(parcel, {
          type: 'LineString',
          coordinates: [
            [104.1, 30.7],
            [104.2, 30.8],
          ],
        }),
      }),
    ).toBe(
      'sites.fgb: feature 1: geometry is LineString; candidates must be points (Point, MultiPoint) or polygons (Polygon, MultiPolygon)',
    );
    expect(reason({ ...record, collection: collection({ type: 'Point', coordinates: [104.1, 'x'] } as never) })).toBe(
      'sites.fgb: feature 0: coordinate [104.1, x] is not a longitude/latitude',
    );
    expect(
      reason({ ...record, collection: { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: 5 }] } }),
    ).toMatch(/^sites\.fgb: feature 0: geometry is undefined/);
  });
});
