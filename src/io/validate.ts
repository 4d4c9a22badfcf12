import rewind from '@mapbox/geojson-rewind';
import { kinks } from '@turf/kinks';
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import { signedArea } from '../coverage/geometry';
import { InputError } from '../coverage/input-error';
import { normalizeGreenKinds, osmGreenSpace, osmGreenway } from './osm';

/**
 * Checks and repairs one imported layer for its role, before the engine sees it:
 *
 * | problem | what happens |
 * |---|---|
 * | null or empty geometry | skipped, counted (`null or empty geometry`) |
 * | a geometry the role cannot use (a Point among parks) | skipped, counted |
 * | GeometryCollection | the parts the role can use are kept (as a Multi-geometry) |
 * | NaN / Infinity coordinate | InputError naming the feature and the position |
 * | Z (3D) or M values | dropped, counted |
 * | repeated consecutive vertex | removed |
 * | unclosed ring | closed (safe: the last vertex repeats the first), counted |
 * | ring of fewer than 4 positions, line of fewer than 2 | dropped; a feature left empty is skipped |
 * | wrong winding | fixed with @mapbox/geojson-rewind (RFC 7946: outer counter-clockwise), counted |
 * | self-intersecting ring (bowtie) | reported with the crossing point, kept as drawn (the engine fills by even–odd; no safe repair) |
 * | every feature unusable | InputError: "no feature is a Polygon or MultiPolygon (found 12 Point)" |
 *
 * Property objects are copied key by key as data, so a `__proto__` key stays a key.
 */

export type LayerRole = 'communities' | 'residential' | 'greenways' | 'greenspaces' | 'population' | 'points';

const ROLE_GEOMETRY: Record<LayerRole, { types: string[]; label: string; noun: string }> = {
  communities: { types: ['Polygon', 'MultiPolygon'], label: 'Polygon or MultiPolygon', noun: 'communities' },
  residential: { types: ['Polygon', 'MultiPolygon'], label: 'Polygon or MultiPolygon', noun: 'residential land' },
  greenspaces: { types: ['Polygon', 'MultiPolygon'], label: 'Polygon or MultiPolygon', noun: 'green spaces' },
  greenways: { types: ['LineString', 'MultiLineString'], label: 'LineString or MultiLineString', noun: 'greenways' },
  population: {
    types: ['Point', 'MultiPoint', 'Polygon', 'MultiPolygon'],
    label: 'Point or Polygon (with a count)',
    noun: 'population',
  },
  points: { types: ['Point', 'MultiPoint'], label: 'Point or MultiPoint', noun: 'points' },
};

/** Rings longer than this are not checked for self-intersection (the check is quadratic). */
const MAX_KINK_CHECK_VERTICES = 5000;

export interface SkippedFeature {
  featureIndex: number;
  reason: string;
}

export interface ValidatedLayer {
  collection: FeatureCollection;
  /** For each kept feature, its index in the file (so later messages name the right feature). */
  sourceIndex: number[];
  skipped: SkippedFeature[];
  /** One line per kind of repair or finding, e.g. "closed 2 unclosed rings (features 3, 7)". */
  warnings: string[];
  repairs: Record<string, number>;
}

class Tally {
  readonly counts = new Map<string, number[]>();
  add(kind: string, featureIndex: number): void {
    const list = this.counts.get(kind) ?? [];
    list.push(featureIndex);
    this.counts.set(kind, list);
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
function featureList(indexes: number[]): string {
  const unique = [...new Set(indexes)];
  const shown = unique.slice(0, 5).join(', ');
  return `${unique.length === 1 ? 'feature' : 'features'} ${shown}${unique.length > 5 ? `, … (${unique.length} features)` : ''}`;
}

/** Validates and repairs `collection` (not modified) for `role`. Throws InputError for fatal problems. */
export function validateLayer(collection: FeatureCollection, role: LayerRole, fileName: string): ValidatedLayer {
  const wanted = ROLE_GEOMETRY[role];
  const features: Feature[] = [];
  const sourceIndex: number[] = [];
  const skipped: SkippedFeature[] = [];
  const tally = new Tally();
  const wrongTypes = new Map<string, number>();
  const crossings: string[] = [];

  collection.features.forEach((feature, index) => {
    let geometry = feature.geometry as Geometry | null | undefined;
    if (geometry === null || geometry === undefined) {
      skipped.push({ featureIndex: index, reason: 'null or empty geometry' });
      return;
    }
    checkFinite(geometry, fileName, index);
    if (geometry.type === 'GeometryCollection') {
      geometry = usableParts(geometry.geometries, wanted.types);
      if (geometry === null) {
        skipped.push({ featureIndex: index, reason: `geometry is a GeometryCollection with no ${wanted.label}` });
        wrongTypes.set('GeometryCollection', (wrongTypes.get('GeometryCollection') ?? 0) + 1);
        return;
      }
      tally.add('collection', index);
    }
    if (!wanted.types.includes(geometry.type)) {
      skipped.push({
        featureIndex: index,
        reason: `geometry is ${geometry.type}; ${wanted.noun} must be ${wanted.label}`,
      });
      wrongTypes.set(geometry.type, (wrongTypes.get(geometry.type) ?? 0) + 1);
      return;
    }
    const cleaned = cleanGeometry(geometry, index, tally);
    if (cleaned === null) {
      skipped.push({ featureIndex: index, reason: 'null or empty geometry' });
      return;
    }
    if (cleaned.type === 'Polygon' || cleaned.type === 'MultiPolygon') {
      const polygons = cleaned.type === 'Polygon' ? [cleaned.coordinates] : cleaned.coordinates;
      for (const rings of polygons) {
        const vertices = rings.reduce((sum, ring) => sum + ring.length, 0);
        if (vertices > MAX_KINK_CHECK_VERTICES) {
          tally.add('unchecked', index);
          continue;
        }
        const found = kinks({ type: 'Polygon', coordinates: rings });
        if (found.features.length > 0) {
          const at = found.features[0].geometry.coordinates;
          crossings.push(`feature ${index}: a ring crosses itself at [${round6(at[0])}, ${round6(at[1])}]`);
          tally.add('selfIntersecting', index);
          break;
        }
      }
      const before = orientationSignature(cleaned);
      rewind(cleaned);
      const after = orientationSignature(cleaned);
      for (let i = 0; i < before.length; i++) if (before[i] !== after[i]) tally.add('rewound', index);
    }
    features.push({ ...feature, geometry: cleaned, properties: copyProperties(feature.properties) });
    sourceIndex.push(index);
  });

  // Every feature of a type the role has no use for: say the types found (mixed reasons: prepareLayerForRole).
  const wrongTypeCount = [...wrongTypes.values()].reduce((sum, n) => sum + n, 0);
  if (features.length === 0 && wrongTypes.size > 0 && wrongTypeCount === skipped.length) {
    const found = [...wrongTypes.entries()].map(([type, n]) => `${n} ${type}`).join(', ');
    throw new InputError(
      fileName,
      null,
      `no feature is a ${wanted.label} (found ${found}); ${wanted.noun} must be ${wanted.label}`,
      { code: 'geometry' },
    );
  }

  const warnings: string[] = [];
  const repairs: Record<string, number> = {};
  const say = (kind: string, text: (n: number) => string) => {
    const list = tally.counts.get(kind);
    if (!list) return;
    repairs[kind] = list.length;
    warnings.push(`${text(list.length)} (${featureList(list)})`);
  };
  say('droppedZ', (n) => `dropped Z/M values from ${plural(n, 'position')}`);
  say('duplicates', (n) => `removed ${plural(n, 'repeated vertex')}`.replace('vertexs', 'vertices'));
  say('closed', (n) => `closed ${plural(n, 'unclosed ring')}`);
  say('degenerate', (n) => `dropped ${plural(n, 'ring or line')} with too few positions`);
  say('rewound', (n) => `rewound ${plural(n, 'ring')} to the right-hand rule`);
  say('collection', (n) => `kept the ${wanted.label} parts of ${plural(n, 'GeometryCollection')}`);
  say('selfIntersecting', (n) => `${plural(n, 'feature')} with a self-intersecting ring, used as drawn`);
  say(
    'unchecked',
    (n) => `${plural(n, 'polygon')} over ${MAX_KINK_CHECK_VERTICES} vertices not checked for self-intersection`,
  );
  warnings.push(...crossings.slice(0, 5));
  if (skipped.length > 0) {
    const reasons = new Map<string, number>();
    for (const { reason } of skipped) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    for (const [reason, n] of reasons) warnings.push(`skipped ${plural(n, 'feature')}: ${reason}`);
  }
  return { collection: { ...collection, features }, sourceIndex, skipped, warnings, repairs };
}

/**
 * A layer made ready for its role: OpenStreetMap features classified (green spaces get a `kind` from their
 * tags; features whose tags are not public green space or a greenway are skipped), then
 * {@link validateLayer}. Unlike validateLayer's, every feature number in the result (`sourceIndex`,
 * `skipped`, the warnings) is the feature's position in `collection`, that is in the file. `skippedBefore`
 * are features the reader already skipped (e.g. CSV rows), merged into `skipped` in file order. The one
 * sequence for every imported layer: read-layer (files, CLI and app) and layers loaded from a URL.
 */
export function prepareLayerForRole(
  collection: FeatureCollection,
  role: LayerRole,
  fileName: string,
  skippedBefore: readonly SkippedFeature[] = [],
): ValidatedLayer {
  const warnings: string[] = [];
  const skippedFirst = [...skippedBefore];
  const osmFilter = role === 'greenspaces' ? osmGreenSpace : role === 'greenways' ? osmGreenway : null;
  let osmIndex: number[] | null = null;
  if (osmFilter) {
    const kept: Feature[] = [];
    const index: number[] = [];
    let classified = 0;
    collection.features.forEach((feature, i) => {
      const outcome = osmFilter(feature);
      if ('reason' in outcome) skippedFirst.push({ featureIndex: i, reason: outcome.reason });
      else {
        if (outcome.feature !== feature) classified++;
        kept.push(outcome.feature);
        index.push(i);
      }
    });
    if (classified > 0)
      warnings.push(`took the kind of ${classified} feature${classified === 1 ? '' : 's'} from OpenStreetMap tags`);
    collection = { ...collection, features: kept };
    osmIndex = index;
  }
  const validated = validateLayer(collection, role, fileName);
  const toFile = (index: number) => (osmIndex ? osmIndex[index] : index);
  if (role === 'greenspaces') {
    // Kinds through the one alias/OSM table: an unknown kind is a warning per feature, not a failed run.
    const kinds = normalizeGreenKinds(validated.collection.features, null, (i) => toFile(validated.sourceIndex[i]));
    validated.collection = { ...validated.collection, features: kinds.features };
    warnings.push(...kinds.warnings);
  }
  const skipped = [
    ...skippedFirst,
    ...validated.skipped.map((s) => ({ featureIndex: toFile(s.featureIndex), reason: s.reason })),
  ].sort((a, b) => a.featureIndex - b.featureIndex);
  // Nothing left to measure (all null geometries, points among parks, no OSM green space): refused,
  // never a run that exits 0 with nothing in it, with the count skipped and why.
  if (validated.collection.features.length === 0 && skipped.length > 0) throw unusableLayer(fileName, skipped);
  const osmSkips = skippedFirst.filter((s) => s.reason.startsWith('OSM tags'));
  if (osmSkips.length > 0) warnings.push(`skipped ${osmSkips.length} OpenStreetMap features that are not ${role}`);
  return {
    collection: validated.collection,
    sourceIndex: validated.sourceIndex.map(toFile),
    skipped,
    warnings: [...warnings, ...validated.warnings.map((w) => (osmIndex ? renumber(w, osmIndex) : w))],
    repairs: validated.repairs,
  };
}

/** "no usable feature: all 3 were skipped (2 null or empty geometry, 1 geometry is Point; …)". */
function unusableLayer(fileName: string, skipped: readonly SkippedFeature[]): InputError {
  const reasons = new Map<string, number>();
  for (const { reason } of skipped) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  const why = [...reasons].map(([reason, count]) => `${count} ${reason}`).join(', ');
  return new InputError(fileName, null, `no usable feature: all ${skipped.length} were skipped (${why})`, {
    code: 'empty.no-usable',
    values: { count: skipped.length, why },
  });
}

/** Feature numbers in a validation message are positions in the filtered list: map them to the file. */
function renumber(warning: string, index: number[]): string {
  return warning.replace(
    /(features? )([\d, ]+)/g,
    (_, word: string, list: string) => word + list.replace(/\d+/g, (n) => String(index[Number(n)] ?? n)),
  );
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function copyProperties(properties: Feature['properties']): Feature['properties'] {
  if (properties === null || properties === undefined) return {};
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(properties)) {
    Object.defineProperty(out, key, { value: properties[key], enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function checkFinite(geometry: Geometry, fileName: string, featureIndex: number): void {
  const visit = (value: unknown, path: string): void => {
    if (!Array.isArray(value)) return;
    if (typeof value[0] === 'number' || value.length === 0 || !Array.isArray(value[0])) {
      if (value.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
        throw new InputError(
          fileName,
          featureIndex,
          `${path} is [${value.join(', ')}]; every coordinate must be a finite number (NaN or Infinity found)`,
          { code: 'coordinates' },
        );
      }
      return;
    }
    value.forEach((item, i) => {
      visit(item, `${path}[${i}]`);
    });
  };
  if (geometry.type === 'GeometryCollection') {
    for (const part of geometry.geometries) checkFinite(part, fileName, featureIndex);
  } else if (geometry.type === 'Point') visit(geometry.coordinates, 'coordinates');
  else
    (geometry.coordinates as unknown[]).forEach((item, i) => {
      visit(item, `coordinates[${i}]`);
    });
}

function usableParts(parts: Geometry[], types: string[]): Geometry | null {
  const flat: Geometry[] = [];
  const walk = (list: Geometry[]) => {
    for (const part of list) {
      if (part.type === 'GeometryCollection') walk(part.geometries);
      else if (types.includes(part.type)) flat.push(part);
    }
  };
  walk(parts);
  if (flat.length === 0) return null;
  const [single, multi] = types as [string, string];
  const coordinates = flat.flatMap((part) =>
    part.type === single
      ? [(part as { coordinates: unknown }).coordinates]
      : (part as { coordinates: unknown[] }).coordinates,
  );
  return { type: multi, coordinates } as Geometry;
}

/** A 2D copy without repeated vertices, rings closed, degenerate parts dropped; null when nothing is left. */
function cleanGeometry(geometry: Geometry, index: number, tally: Tally): Geometry | null {
  const position = (p: Position): Position => {
    if (p.length > 2) tally.add('droppedZ', index);
    return [p[0], p[1]];
  };
  const line = (positions: Position[]): Position[] => {
    const out: Position[] = [];
    for (const p of positions) {
      const q = position(p);
      const last = out[out.length - 1];
      if (last && last[0] === q[0] && last[1] === q[1]) tally.add('duplicates', index);
      else out.push(q);
    }
    return out;
  };
  const ring = (positions: Position[]): Position[] | null => {
    const out = line(positions);
    if (out.length > 0) {
      const first = out[0];
      const last = out[out.length - 1];
      if (out.length > 1 && (first[0] !== last[0] || first[1] !== last[1])) {
        tally.add('closed', index);
        out.push([first[0], first[1]]);
      }
    }
    if (out.length < 4) {
      if (out.length > 0) tally.add('degenerate', index);
      return null;
    }
    return out;
  };
  const polygon = (rings: Position[][]): Position[][] | null => {
    if (rings.length === 0) return null;
    const outer = ring(rings[0]);
    if (outer === null) return null;
    const holes = rings
      .slice(1)
      .map(ring)
      .filter((r): r is Position[] => r !== null);
    return [outer, ...holes];
  };
  switch (geometry.type) {
    case 'Point':
      return { type: 'Point', coordinates: position(geometry.coordinates) };
    case 'MultiPoint':
      return geometry.coordinates.length === 0
        ? null
        : { type: 'MultiPoint', coordinates: geometry.coordinates.map(position) };
    case 'LineString': {
      const out = line(geometry.coordinates);
      if (out.length < 2) {
        if (out.length > 0) tally.add('degenerate', index);
        return null;
      }
      return { type: 'LineString', coordinates: out };
    }
    case 'MultiLineString': {
      const lines = geometry.coordinates.map(line).filter((l) => {
        if (l.length === 1) tally.add('degenerate', index);
        return l.length >= 2;
      });
      return lines.length === 0 ? null : { type: 'MultiLineString', coordinates: lines };
    }
    case 'Polygon': {
      const out = polygon(geometry.coordinates);
      return out === null ? null : { type: 'Polygon', coordinates: out };
    }
    case 'MultiPolygon': {
      const out = geometry.coordinates.map(polygon).filter((p): p is Position[][] => p !== null);
      return out.length === 0 ? null : { type: 'MultiPolygon', coordinates: out };
    }
    default:
      return null;
  }
}

/** Sign of each ring's area (+1 counter-clockwise), in order. */
function orientationSignature(geometry: Geometry): number[] {
  const polygons =
    geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.type === 'MultiPolygon' ? geometry.coordinates : [];
  const signs: number[] = [];
  for (const rings of polygons) {
    for (const ring of rings) signs.push(signedArea(ring) > 0 ? 1 : -1);
  }
  return signs;
}
