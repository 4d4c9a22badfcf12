/**
 * The Overpass JSON driver (`[out:json]`, also what osmium writes as `.osm.json`): the document is one
 * JSON object, so it is parsed whole with JSON.parse (Overpass answers are small) and its `elements`
 * are fed to the sink. Ways from `out geom` carry `geometry` instead of node elements; their vertices
 * become nodes with negative ids so the rest of the pipeline is the same.
 */
import { OsmError } from './osm-error';
import { MEMBER_NODE, MEMBER_RELATION, MEMBER_WAY, type OsmSink, type OsmTags } from './osm-store';

interface OverpassElement {
  type: 'node' | 'way' | 'relation';
  id: number;
  lat?: number;
  lon?: number;
  tags?: OsmTags;
  nodes?: number[];
  geometry?: ({ lat: number; lon: number } | null)[];
  members?: { type: string; ref: number; role?: string }[];
}

const MEMBER_TYPES: Record<string, number> = { node: MEMBER_NODE, way: MEMBER_WAY, relation: MEMBER_RELATION };

/** Reads Overpass JSON text. Nodes first, then ways, then relations, whatever their order in the file. */
export function readOverpassJson(text: string, fileName: string, sink: OsmSink): void {
  let document: { elements?: OverpassElement[] };
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new OsmError(
      fileName,
      'osm.json-malformed',
      `not valid JSON: ${error instanceof Error ? error.message : error}`,
      `不是有效的 JSON：${error instanceof Error ? error.message : error}`,
    );
  }
  if (!document || !Array.isArray(document.elements)) {
    throw new OsmError(
      fileName,
      'osm.json-malformed',
      'not Overpass JSON: no "elements" array',
      '不是 Overpass JSON：缺少 "elements" 数组',
    );
  }
  const elements = document.elements;
  let synthetic = 0;
  const geometryNodes: { id: number; lon: number; lat: number }[] = [];
  const wayRefs = new Map<OverpassElement, number[]>();
  for (const element of elements) {
    if (element.type === 'way' && !element.nodes && element.geometry) {
      const refs: number[] = [];
      for (const point of element.geometry) {
        if (!point) continue;
        synthetic--;
        geometryNodes.push({ id: synthetic, lon: point.lon, lat: point.lat });
        refs.push(synthetic);
      }
      wayRefs.set(element, refs);
    }
  }
  geometryNodes.sort((a, b) => a.id - b.id);
  for (const node of geometryNodes) sink.node(node.id, Math.round(node.lon * 1e7), Math.round(node.lat * 1e7), null);
  for (const element of elements) {
    if (element.type === 'node' && typeof element.lat === 'number' && typeof element.lon === 'number') {
      sink.node(element.id, Math.round(element.lon * 1e7), Math.round(element.lat * 1e7), element.tags ?? null);
    }
  }
  for (const element of elements) {
    if (element.type !== 'way') continue;
    const refs = wayRefs.get(element) ?? element.nodes ?? [];
    sink.way(element.id, refs, refs.length, element.tags ?? null);
  }
  for (const element of elements) {
    if (element.type !== 'relation') continue;
    const members = (element.members ?? []).map((m) => ({
      type: MEMBER_TYPES[m.type] ?? MEMBER_NODE,
      ref: m.ref,
      role: m.role ?? '',
    }));
    sink.relation(element.id, members, element.tags ?? null);
  }
}
