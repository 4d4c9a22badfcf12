/**
 * The roles an imported file can take and the attributes each reads (on the first page); guessing a
 * file's role and mapping, and applying the mapping, is in `import-guess.ts`, loaded with the first import.
 */

/**
 * The engine layers an imported file can replace; `population` (points or polygons with a count, or a
 * GeoTIFF grid as points) has no layer in a data set and, once given, is where residents come from.
 */
export type ImportRole = 'communities' | 'residential' | 'greenways' | 'greenspaces' | 'population';
export const importRoles: ImportRole[] = ['communities', 'residential', 'greenways', 'greenspaces', 'population'];

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
  population: ['population'],
};

/** Why a role was guessed: a message key of the interface (`roleReason_<code>`) and its values. */
export interface RoleReason {
  code:
    | 'lines'
    | 'points'
    | 'fileName'
    | 'osm'
    | 'kindColumn'
    | 'population'
    | 'populationPoints'
    | 'landuse'
    | 'adminAreas'
    | 'fallback';
  values?: Record<string, string | number>;
}
