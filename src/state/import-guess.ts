import type { Feature, FeatureCollection } from 'geojson';
import { classifyOsmTags, osmTags } from '../io/osm';
import { type AttributeMapping, type ImportRole, importRoles, type RoleReason, roleAttributes } from './import-layers';

export { normalizeGreenKinds } from '../io/osm';

/**
 * Guessing an imported file's role (with the reasons shown in the dialog) and its attribute mapping,
 * applying the mapping, and the dialog's text preview. Loaded with the first import (the OSM tag table
 * it consults is not needed for the first answer).
 */

const NAME_HINTS: [RegExp, ImportRole][] = [
  [/green\s*way|绿道|trail|cycle|path/i, 'greenways'],
  [/green\s*space|park|garden|公园|绿地|游园|leisure/i, 'greenspaces'],
  [/communit|社区|boundar|边界|neighbou?rhood|subdistrict|街道/i, 'communities'],
  [/residential|居住|land.?use|用地|housing|homes/i, 'residential'],
  [/popul|人口|worldpop|ghs_?pop|census|普查/i, 'population'],
];

/** Attribute keys of the first features (union, first-seen order). */
export function attributeKeys(collection: FeatureCollection, sample = 200): string[] {
  const keys = new Set<string>();
  for (const feature of collection.features.slice(0, sample)) {
    for (const key of Object.keys(feature.properties ?? {})) keys.add(key);
  }
  return [...keys];
}

/** Names of administrative areas: a 区, 街道, 社区, 县 or a district is a community boundary, not a park. */
const ADMIN_NAME = /(区|街道|社区|县|镇|乡)$|district|sub-?district|county|borough|ward|community|neighbou?rhood/i;
/** Polygons larger than this (by extent) are too large to be a pocket park when they carry an admin name. */
const LARGE_AREA_SQUARE_METERS = 500_000;

/**
 * Guesses the role of a file from its geometry (lines → greenways, points → green spaces), its name,
 * OpenStreetMap tags, its attributes (`kind`, `population`) and its names (large polygons named
 * 区/街道/district are communities); returns the role and the reasons that decided it.
 */
export function guessRoleWithReasons(
  collection: FeatureCollection,
  fileName: string,
): { role: ImportRole; reasons: RoleReason[] } {
  const score = Object.fromEntries(importRoles.map((role) => [role, 0])) as Record<ImportRole, number>;
  const why = Object.fromEntries(importRoles.map((role) => [role, [] as RoleReason[]])) as Record<
    ImportRole,
    RoleReason[]
  >;
  const add = (role: ImportRole, points: number, reason: RoleReason) => {
    score[role] += points;
    if (points > 0) why[role].push(reason);
  };
  let lines = 0;
  let areas = 0;
  let points = 0;
  let adminAreas = 0;
  const osmTagsSeen = new Map<ImportRole, string>();
  const osmScore = Object.fromEntries(importRoles.map((role) => [role, 0])) as Record<ImportRole, number>;
  const sample = collection.features.slice(0, 500);
  for (const feature of sample) {
    const type = feature.geometry?.type ?? '';
    if (/LineString/.test(type)) lines++;
    else if (/Polygon/.test(type)) {
      areas++;
      const name = String(feature.properties?.name ?? feature.properties?.名称 ?? feature.properties?.NAME ?? '');
      if (ADMIN_NAME.test(name.trim()) && extentSquareMeters(feature) > LARGE_AREA_SQUARE_METERS) adminAreas++;
    } else if (/Point/.test(type)) points++;
    const tags = osmTags(feature.properties);
    const found = tags ? classifyOsmTags(tags) : null;
    if (found) {
      osmScore[found.role] += 2 / sample.length;
      if (!osmTagsSeen.has(found.role)) osmTagsSeen.set(found.role, found.tag);
    }
  }
  for (const role of importRoles)
    if (osmScore[role] > 0) add(role, osmScore[role], { code: 'osm', values: { tag: osmTagsSeen.get(role) ?? '' } });
  const total = Math.max(1, lines + areas + points);
  if (lines / total > 0.5) add('greenways', 3, { code: 'lines' });
  if (points / total > 0.5) add('greenspaces', 1, { code: 'points' });
  // Large named administrative areas outweigh a `kind`/`type` column or a "park"-like file name.
  if (areas > 0 && adminAreas / areas > 0.5)
    add('communities', 4, { code: 'adminAreas', values: { count: adminAreas } });
  for (const [pattern, role] of NAME_HINTS) {
    if (pattern.test(fileName)) {
      add(role, 2, { code: 'fileName', values: { name: fileName } });
      break;
    }
  }
  const keys = attributeKeys(collection).map((key) => key.toLowerCase());
  if (keys.includes('kind') || keys.includes('leisure')) add('greenspaces', 1, { code: 'kindColumn' });
  const counts = keys.some((key) => /pop|人口|residents/.test(key));
  // Points with a count are residents to spread (a census, a population grid as points), not green spaces.
  if (counts && points / total > 0.5) add('population', 3, { code: 'populationPoints' });
  else if (counts) {
    if (keys.some((key) => /^name|名称|社区/.test(key))) add('communities', 1, { code: 'population' });
    else add('residential', 1, { code: 'population' });
  }
  if (keys.includes('landuse')) add('residential', 0.5, { code: 'landuse' });
  if (lines / total <= 0.5) score.greenways -= 2;
  const role = importRoles.reduce(
    (best, next) => (score[next] > score[best] ? next : best),
    'greenspaces' as ImportRole,
  );
  return { role, reasons: why[role].length > 0 ? why[role] : [{ code: 'fallback' }] };
}

/** The role {@link guessRoleWithReasons} guesses. */
export function guessRole(collection: FeatureCollection, fileName: string): ImportRole {
  return guessRoleWithReasons(collection, fileName).role;
}

/** Area of a feature's extent in square metres (an upper bound of its area; cheap for a guess). */
function extentSquareMeters(feature: Feature): number {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const visit = (value: unknown): void => {
    if (!Array.isArray(value)) return;
    if (typeof value[0] === 'number') {
      minX = Math.min(minX, value[0]);
      maxX = Math.max(maxX, value[0]);
      minY = Math.min(minY, value[1] as number);
      maxY = Math.max(maxY, value[1] as number);
    } else for (const item of value) visit(item);
  };
  visit((feature.geometry as { coordinates?: unknown } | null)?.coordinates);
  if (!(maxX >= minX)) return 0;
  const metersY = (maxY - minY) * 111_320;
  const metersX = (maxX - minX) * 111_320 * Math.cos((((minY + maxY) / 2) * Math.PI) / 180);
  return metersX * metersY;
}

const MAPPING_HINTS: Record<keyof AttributeMapping, RegExp[]> = {
  name: [/^name$/i, /^(name:zh|name_zh|名称|社区名称|社区名|名字)$/i, /^(title|label|nom)$/i, /name/i],
  name_en: [/^(name_en|name:en|nameen|english_name|name_english)$/i, /en(glish)?$/i],
  population: [/^population$/i, /^(pop|人口|常住人口|residents|inhabitants)$/i, /pop|人口/i],
  kind: [/^kind$/i, /^(type|类型|类别|category|class)$/i, /^leisure$/i],
};

/** The attribute that most likely holds each engine property. */
export function guessMapping(collection: FeatureCollection): AttributeMapping {
  const keys = attributeKeys(collection);
  const pick = (field: keyof AttributeMapping, exclude: (string | null)[] = []): string | null => {
    for (const pattern of MAPPING_HINTS[field]) {
      const found = keys.find((key) => pattern.test(key) && !exclude.includes(key));
      if (found) return found;
    }
    return null;
  };
  const name = pick('name', ['name_en', 'name:en']);
  return { name, name_en: pick('name_en', [name]), population: pick('population'), kind: pick('kind') };
}

/**
 * The features with the engine's property names filled from the mapped attributes (the other
 * attributes stay as they are). Values are copied, never interpreted as markup.
 */
export function applyMapping(
  collection: FeatureCollection,
  mapping: AttributeMapping,
  role: ImportRole,
): FeatureCollection {
  const fields = roleAttributes[role].filter((field) => mapping[field] && mapping[field] !== field);
  if (fields.length === 0) return collection;
  const features = collection.features.map((feature): Feature => {
    const source = feature.properties ?? {};
    const properties: Record<string, unknown> = { ...source };
    for (const field of fields) {
      const key = mapping[field]!;
      if (Object.hasOwn(source, key)) properties[field] = source[key];
    }
    return { ...feature, properties };
  });
  return { ...collection, features };
}

/** The first features as one line of text each: geometry type and attributes (shown as text, never HTML). */
export function previewLines(collection: FeatureCollection, count = 5): string[] {
  return collection.features.slice(0, count).map((feature, index) => {
    const properties = JSON.stringify(feature.properties ?? {});
    return `${index}: ${feature.geometry?.type ?? 'null'} ${properties.length > 240 ? `${properties.slice(0, 240)}…` : properties}`;
  });
}
