/**
 * Rule sets: which features count as "green" and which as a "park", how large they must be and how
 * far a home may be from them. Presets follow ../shared/DOMAIN.md; every number is editable and every
 * result names the rules it used. A rule set has two criteria, `green` and `park` (Chengdu's
 * 300米见绿、500米见园); a preset that states only one of them sets the other to `null`.
 */

/** Kinds of green feature the engine knows. Greenways are lines; the rest are areas. */
export type GreenKind = 'greenway' | 'park' | 'pocket_park' | 'micro_green' | 'green_space';
export const greenKinds: readonly GreenKind[] = ['greenway', 'park', 'pocket_park', 'micro_green', 'green_space'];

export type CriterionId = 'green' | 'park';
export const criterionIds: readonly CriterionId[] = ['green', 'park'];

export interface Criterion {
  /** A home meets the criterion when its cell centre is at most this far from a qualifying feature. */
  radiusMeters: number;
  /** Kinds that qualify. */
  kinds: GreenKind[];
  /** Areas smaller than this do not qualify (greenways, being lines, ignore it). */
  minimumAreaSquareMeters: number;
}

export interface RuleSet {
  /** Preset id, or `custom`. */
  id: string;
  name: { zh: string; en: string };
  green: Criterion | null;
  park: Criterion | null;
  /** Distances are exact up to radius + this margin; farther ones are reported as "beyond reach". */
  reachMarginMeters: number;
  /**
   * How distance is measured: `straight` (cell centre to the nearest edge, 0 inside) or `network` (the
   * walk along the streets layer from the feature's entrances; see src/coverage/network/).
   */
  distance: DistanceMode;
  /** Network mode: a cell joins the nearest walkable edge within this distance, else it is "off the network". */
  snapMaxMeters: number;
}

export type DistanceMode = 'straight' | 'network';
export const distanceModes: readonly DistanceMode[] = ['straight', 'network'];
/** Default snap distance (Conveyal R5 links within 300 m; 150 m keeps homes behind a block off distant streets). */
export const defaultSnapMaxMeters = 150;

const allAreas: GreenKind[] = ['park', 'pocket_park', 'micro_green', 'green_space'];

export const presets: Readonly<Record<string, RuleSet>> = {
  chengdu: {
    id: 'chengdu',
    name: { zh: '成都 300米见绿、500米见园', en: 'Chengdu 300 m to green, 500 m to a park' },
    green: { radiusMeters: 300, kinds: ['greenway', ...allAreas], minimumAreaSquareMeters: 400 },
    park: { radiusMeters: 500, kinds: ['park', 'pocket_park'], minimumAreaSquareMeters: 1000 },
    reachMarginMeters: 100,
    distance: 'straight',
    snapMaxMeters: defaultSnapMaxMeters,
  },
  gbt51346: {
    id: 'gbt51346',
    name: { zh: 'GB/T 51346-2019 社区公园500米服务半径', en: 'GB/T 51346-2019 community parks, 500 m' },
    green: null,
    park: { radiusMeters: 500, kinds: ['park'], minimumAreaSquareMeters: 10_000 },
    reachMarginMeters: 100,
    distance: 'straight',
    snapMaxMeters: defaultSnapMaxMeters,
  },
  who: {
    id: 'who',
    name: { zh: '世卫组织欧洲 300米内0.5公顷绿地', en: 'WHO Europe: 0.5 ha green within 300 m' },
    green: { radiusMeters: 300, kinds: allAreas, minimumAreaSquareMeters: 5000 },
    park: null,
    reachMarginMeters: 100,
    distance: 'straight',
    snapMaxMeters: defaultSnapMaxMeters,
  },
  eu: {
    id: 'eu',
    name: { zh: '欧盟共同指标 300米内5000平方米开放空间', en: 'EU common indicator: 5,000 m² open area within 300 m' },
    green: { radiusMeters: 300, kinds: allAreas, minimumAreaSquareMeters: 5000 },
    park: null,
    reachMarginMeters: 100,
    distance: 'straight',
    snapMaxMeters: defaultSnapMaxMeters,
  },
  'natural-england': {
    id: 'natural-england',
    name: {
      zh: '英格兰自然署 200米内0.5公顷、300米内2公顷',
      en: 'Natural England: 0.5 ha within 200 m, 2 ha within 300 m',
    },
    green: { radiusMeters: 200, kinds: allAreas, minimumAreaSquareMeters: 5000 },
    park: { radiusMeters: 300, kinds: allAreas, minimumAreaSquareMeters: 20_000 },
    reachMarginMeters: 100,
    distance: 'straight',
    snapMaxMeters: defaultSnapMaxMeters,
  },
  parkserve: {
    id: 'parkserve',
    name: { zh: 'ParkServe 步行10分钟（800米）到公园', en: 'ParkServe: a park within a 10-minute walk (800 m)' },
    green: null,
    park: { radiusMeters: 800, kinds: ['park', 'pocket_park'], minimumAreaSquareMeters: 0 },
    reachMarginMeters: 100,
    distance: 'network',
    snapMaxMeters: defaultSnapMaxMeters,
  },
};

export const defaultPresetId = 'chengdu';

/** Kind names accepted in data, in English and Chinese, mapped to the engine's kinds. */
const kindAliases: Record<string, GreenKind> = {
  park: 'park',
  pocket_park: 'pocket_park',
  micro_green: 'micro_green',
  green_space: 'green_space',
  greenway: 'greenway',
  公园: 'park',
  社区公园: 'park',
  综合公园: 'park',
  小游园: 'pocket_park',
  口袋公园: 'pocket_park',
  微绿地: 'micro_green',
  绿地: 'green_space',
  绿道: 'greenway',
};

/**
 * The engine kind for a `kind` property value, `green_space` when it is absent, or `null` when the
 * value is not a kind we know (the caller reports it: a misspelt kind must not silently change results).
 */
export function normalizeKind(value: unknown): GreenKind | null {
  if (value === undefined || value === null || value === '') return 'green_space';
  if (typeof value !== 'string') return null;
  const key = value.trim();
  return Object.hasOwn(kindAliases, key)
    ? kindAliases[key]
    : (kindAliases[key.toLowerCase().replace(/[\s-]+/g, '_')] ?? null);
}

/** Whether a feature of `kind` and `areaSquareMeters` qualifies for `criterion`. */
export function qualifies(criterion: Criterion | null, kind: GreenKind, areaSquareMeters: number): boolean {
  if (!criterion?.kinds.includes(kind)) return false;
  return kind === 'greenway' || areaSquareMeters >= criterion.minimumAreaSquareMeters;
}

/** Distances beyond this are not computed for `criterion`. */
export function reachMeters(rules: RuleSet, criterion: Criterion): number {
  return criterion.radiusMeters + rules.reachMarginMeters;
}

/** A deep copy of a preset, safe to edit. Throws on an unknown id. */
export function presetRules(id: string): RuleSet {
  if (!Object.hasOwn(presets, id)) {
    throw new Error(`unknown rule preset "${id}" (known: ${Object.keys(presets).join(', ')})`);
  }
  return structuredClone(presets[id]);
}

/**
 * Checks a rule set from JSON (a custom rules file or the UI) and returns it typed, or throws an
 * Error whose message names the offending field. Missing fields are taken from `base` (a preset id,
 * default the preset named in `extends`, else Chengdu).
 */
export function parseRules(input: unknown): RuleSet {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new Error('rules must be a JSON object');
  const raw = input as Record<string, unknown>;
  // A misspelt field would otherwise be ignored and its preset value used without a word.
  unknownFields(raw, ruleSetFields, 'rules');
  for (const field of ['id', 'extends'] as const) {
    if (raw[field] !== undefined && (typeof raw[field] !== 'string' || raw[field] === ''))
      throw new Error(`rules.${field} must be a non-empty string, got ${JSON.stringify(raw[field])}`);
  }
  const baseId = typeof raw.extends === 'string' ? raw.extends : defaultPresetId;
  const base = presetRules(baseId);
  const rules: RuleSet = {
    id: typeof raw.id === 'string' ? raw.id : raw.extends ? `${baseId}-custom` : 'custom',
    name: base.name,
    green: base.green,
    park: base.park,
    reachMarginMeters: base.reachMarginMeters,
    distance: base.distance,
    snapMaxMeters: base.snapMaxMeters,
  };
  if (raw.name !== undefined) {
    const name = raw.name as Record<string, unknown>;
    if (typeof raw.name === 'string') rules.name = { zh: raw.name, en: raw.name };
    else if (typeof name === 'object' && name && typeof name.zh === 'string' && typeof name.en === 'string')
      rules.name = { zh: name.zh, en: name.en };
    else throw new Error('rules.name must be a string or {"zh": …, "en": …}');
  } else if (raw.id !== undefined || raw.extends !== undefined) {
    rules.name = { zh: `${base.name.zh}（自定义）`, en: `${base.name.en} (custom)` };
  }
  if (raw.reachMarginMeters !== undefined) {
    rules.reachMarginMeters = number(raw.reachMarginMeters, 'rules.reachMarginMeters', 100, 5000);
  }
  if (raw.distance !== undefined) {
    if (!distanceModes.includes(raw.distance as DistanceMode))
      throw new Error(`rules.distance must be "straight" or "network", got ${JSON.stringify(raw.distance)}`);
    rules.distance = raw.distance as DistanceMode;
  }
  if (raw.snapMaxMeters !== undefined) {
    rules.snapMaxMeters = number(raw.snapMaxMeters, 'rules.snapMaxMeters', 1, 1000);
  }
  for (const id of criterionIds) {
    if (raw[id] === undefined) continue;
    if (raw[id] === null) {
      rules[id] = null;
      continue;
    }
    const value = raw[id] as Record<string, unknown>;
    if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`rules.${id} must be an object or null`);
    unknownFields(value, criterionFields, `rules.${id}`);
    const fallback = rules[id] ?? presets.chengdu[id]!;
    const criterion: Criterion = { ...fallback, kinds: [...fallback.kinds] };
    if (value.radiusMeters !== undefined) {
      criterion.radiusMeters = number(value.radiusMeters, `rules.${id}.radiusMeters`, 1, 5000);
    }
    if (value.minimumAreaSquareMeters !== undefined) {
      criterion.minimumAreaSquareMeters = number(
        value.minimumAreaSquareMeters,
        `rules.${id}.minimumAreaSquareMeters`,
        0,
        1e9,
      );
    }
    if (value.kinds !== undefined) {
      if (!Array.isArray(value.kinds) || value.kinds.length === 0) {
        throw new Error(`rules.${id}.kinds must be a non-empty list of ${greenKinds.join(', ')}`);
      }
      criterion.kinds = value.kinds.map((kind, index) => {
        const normalized = typeof kind === 'string' && kind !== '' ? normalizeKind(kind) : null;
        if (!normalized)
          throw new Error(`rules.${id}.kinds[${index}] "${String(kind)}" is not one of ${greenKinds.join(', ')}`);
        return normalized;
      });
    }
    rules[id] = criterion;
  }
  if (!rules.green && !rules.park) throw new Error('rules must keep at least one of "green" and "park"');
  return rules;
}

/** The fields a rules file may hold (`extends` names the preset the others change). */
const ruleSetFields = ['id', 'name', 'extends', 'green', 'park', 'reachMarginMeters', 'distance', 'snapMaxMeters'];
const criterionFields = ['radiusMeters', 'minimumAreaSquareMeters', 'kinds'];

/** Throws naming the first field of `value` that is not one of `known`. */
function unknownFields(value: Record<string, unknown>, known: readonly string[], where: string): void {
  for (const field of Object.keys(value)) {
    if (!known.includes(field)) throw new Error(`${where}.${field} is not a rules field (known: ${known.join(', ')})`);
  }
}

function number(value: unknown, field: string, minimum: number, maximum: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < minimum || value > maximum) {
    throw new Error(`${field} must be a number from ${minimum} to ${maximum}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** A short human-readable description of the rules, for legends and exports. */
export function describeRules(rules: RuleSet, language: 'zh' | 'en'): string {
  const parts: string[] = [];
  const hectares = (m2: number) => (m2 >= 10_000 ? `${m2 / 10_000} ha` : `${m2} m²`);
  if (rules.green) {
    parts.push(
      language === 'zh'
        ? `见绿：${rules.green.radiusMeters}米内有≥${rules.green.minimumAreaSquareMeters}平方米绿地${rules.green.kinds.includes('greenway') ? '或绿道' : ''}`
        : `green: within ${rules.green.radiusMeters} m of ${rules.green.kinds.includes('greenway') ? 'a greenway or ' : ''}green space ≥ ${hectares(rules.green.minimumAreaSquareMeters)}`,
    );
  }
  if (rules.park) {
    parts.push(
      language === 'zh'
        ? `见园：${rules.park.radiusMeters}米内有≥${rules.park.minimumAreaSquareMeters}平方米公园`
        : `park: within ${rules.park.radiusMeters} m of a park ≥ ${hectares(rules.park.minimumAreaSquareMeters)}`,
    );
  }
  if (rules.distance === 'network') parts.push(language === 'zh' ? '步行距离' : 'walking distance');
  return parts.join(language === 'zh' ? '；' : '; ');
}
