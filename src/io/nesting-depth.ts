import type { FeatureCollection } from 'geojson';
import { InputError } from '../coverage/input-error';

/**
 * Attributes nested without end: JSON.parse takes 100,000 levels of `{"a":{"a":…}}`, but passing such a
 * value to a worker (structured clone), IndexedDB or JSON.stringify overflows the stack ("Maximum call
 * stack size exceeded", without the file's name). A layer's attributes and foreign members are checked
 * once after reading, so the planner hears which file and which attribute instead.
 */

/** Deeper attribute values are refused; real data nests a few levels (an OSM `tags` object: 1). */
export const MAX_NESTING_DEPTH = 100;

/**
 * How deeply arrays and objects nest in `value` (a number or string: 0, `{}`: 1, `{"a": [1]}`: 2), walked
 * with an explicit stack: a recursive walk would overflow on exactly the values it is meant to find.
 */
export function nestingDepth(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    if (depth > deepest) deepest = depth;
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return deepest;
}

/**
 * Throws an InputError (`corrupt.too-deep`, naming the feature and the attribute) when a feature's
 * attribute or other member, or a member of the collection, nests deeper than {@link MAX_NESTING_DEPTH}.
 * Geometries are not walked: the readers rebuild them with their fixed depth.
 */
export function checkNesting(collection: FeatureCollection, fileName: string): void {
  const check = (value: unknown, name: string, featureIndex: number | null) => {
    if (typeof value !== 'object' || value === null) return;
    const depth = nestingDepth(value);
    if (depth <= MAX_NESTING_DEPTH) return;
    throw new InputError(
      fileName,
      featureIndex,
      `"${name}" is nested ${depth.toLocaleString('en-US')} levels deep (limit ${MAX_NESTING_DEPTH}), more than can be handled`,
      { code: 'corrupt.too-deep', values: { name, depth, limit: MAX_NESTING_DEPTH } },
    );
  };
  for (const [key, value] of Object.entries(collection)) if (key !== 'features') check(value, key, null);
  collection.features.forEach((feature, index) => {
    for (const [key, value] of Object.entries(feature)) {
      if (key === 'geometry') continue;
      if (key === 'properties' && value !== null && typeof value === 'object') {
        // Name the attribute itself, not "properties".
        for (const [attribute, attributeValue] of Object.entries(value)) check(attributeValue, attribute, index);
      } else check(value, key, index);
    }
  });
}
