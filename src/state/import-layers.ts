import type { Feature, FeatureCollection } from 'geojson';
import { classifyOsmTags, osmTags } from '../io/osm';

/** The engine layers an imported file can replace. */
export type ImportRole = 'communities' | 'residential' | 'greenways' | 'greenspaces';
export const importRoles: ImportRole[] = ['communities', 'residential', 'greenways', 'greenspaces'];

/** Which attribute of the file feeds each engine property (null: none). */
export interface AttributeMapping {
  name: string | null;
  name_en: string | null;
  population: string | null;
  kind: string | null;
}

/** The attributes each role reads. */
export const roleAttributes: Record<ImportRole, (keyof AttributeMapping)[]> = {
  communities: ['name', 'name_en', 'population'],
  residential: ['name', 'population'],
  greenways: ['name'],
  greenspaces: ['name', 'kind'],
};

const NAME_HINTS: [RegExp, ImportRole][] = [
  [/green\s*way|绿道|trail|cycle|path/i, 'greenways'],
  [/green\s*space|park|garden|公园|绿地|游园|leisure/i, 'greenspaces'],
  [/communit|社区|boundar|边界|neighbou?rhood|subdistrict|街道/i, 'communities'],
  [/residential|居住|land.?use|用地|housing|homes/i, 'residential'],
];

/** Attribute keys of the first features (union, first-seen order). */
export function attributeKeys(collection: FeatureCollection, sample = 200): string[] {
  const keys = new Set<string>();
  for (const feature of collection.features.slice(0, sample)) {
    for (const key of Object.keys(feature.properties ?? {})) keys.add(key);
  }
  return [...keys];
}

/**
 * Guesses the role of a file from its geometry (lines → greenways, points → green spaces), its name,
 * OpenStreetMap tags and its attributes (`kind`, `population`).
 */
export function guessRole(collection: FeatureCollection, fileName: string): ImportRole {
  const score: Record<ImportRole, number> = { communities: 0, residential: 0, greenways: 0, greenspaces: 0 };
  let lines = 0;
  let areas = 0;
  let points = 0;
  const sample = collection.features.slice(0, 500);
  for (const feature of sample) {
    const type = feature.geometry?.type ?? '';
    if (/LineString/.test(type)) lines++;
    else if (/Polygon/.test(type)) areas++;
    else if (/Point/.test(type)) points++;
    const tags = osmTags(feature.properties);
    const found = tags ? classifyOsmTags(tags) : null;
    if (found) score[found.role] += 2 / sample.length;
  }
  const total = Math.max(1, lines + areas + points);
  if (lines / total > 0.5) score.greenways += 3;
  if (points / total > 0.5) score.greenspaces += 1;
  for (const [pattern, role] of NAME_HINTS) {
    if (pattern.test(fileName)) {
      score[role] += 2;
      break;
    }
  }
  const keys = attributeKeys(collection).map((key) => key.toLowerCase());
  if (keys.includes('kind') || keys.includes('leisure')) score.greenspaces += 1;
  if (keys.some((key) => /pop|人口|residents/.test(key))) {
    if (keys.some((key) => /^name|名称|社区/.test(key))) score.communities += 1;
    else score.residential += 1;
  }
  if (keys.includes('landuse')) score.residential += 0.5;
  if (lines / total <= 0.5) score.greenways -= 2;
  return importRoles.reduce((best, role) => (score[role] > score[best] ? role : best), 'greenspaces' as ImportRole);
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
