/**
 * Writes OSM entities as OSM XML 0.6 (the format of the OSM API and of `osmium cat`), with the ODbL
 * attribution on the root element. Used by scripts/convert-three-rivers.ts, the synthetic bench extract
 * and the tests; entities are written in the order given (nodes, then ways, then relations is what
 * readers expect).
 */

/** A node to write: id, longitude and latitude in degrees, tags. */
export interface OsmXmlNode {
  id: number;
  lon: number;
  lat: number;
  tags?: Record<string, string>;
}

/** A way to write: id, node ids in order, tags. */
export interface OsmXmlWay {
  id: number;
  nodes: readonly number[];
  tags?: Record<string, string>;
}

/** A relation to write: id, members (type, ref, role), tags. */
export interface OsmXmlRelation {
  id: number;
  members: readonly { type: 'node' | 'way' | 'relation'; ref: number; role: string }[];
  tags?: Record<string, string>;
}

/** What goes at the top of the file: generator name and a comment (e.g. the source and licence). */
export interface OsmXmlHeader {
  generator: string;
  comment?: string;
  /** Attribution and licence attributes as the OSM API writes them (default: true). */
  odbl?: boolean;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** `text` with the five XML special characters escaped (for attribute values). */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

function tagLines(tags: Record<string, string> | undefined, out: string[]): void {
  if (!tags) return;
  for (const key of Object.keys(tags)) out.push(`    <tag k="${escapeXml(key)}" v="${escapeXml(tags[key])}"/>`);
}

/**
 * Yields the OSM XML document in pieces (one line per element), so a large synthetic extract can be
 * streamed to a file without building one string.
 */
export function* osmXmlLines(
  header: OsmXmlHeader,
  nodes: Iterable<OsmXmlNode>,
  ways: Iterable<OsmXmlWay>,
  relations: Iterable<OsmXmlRelation>,
): Generator<string> {
  yield '<?xml version="1.0" encoding="UTF-8"?>\n';
  if (header.comment) yield `<!-- ${header.comment.replace(/--/g, '—')} -->\n`;
  const odbl =
    header.odbl === false
      ? ''
      : ' copyright="OpenStreetMap and contributors" attribution="http://www.openstreetmap.org/copyright" license="http://opendatacommons.org/licenses/odbl/1-0/"';
  yield `<osm version="0.6" generator="${escapeXml(header.generator)}"${odbl}>\n`;
  for (const node of nodes) {
    const head = `  <node id="${node.id}" version="1" lat="${node.lat.toFixed(7)}" lon="${node.lon.toFixed(7)}"`;
    const keys = node.tags ? Object.keys(node.tags) : [];
    if (keys.length === 0) {
      yield `${head}/>\n`;
      continue;
    }
    const out = [`${head}>`];
    tagLines(node.tags, out);
    out.push('  </node>');
    yield `${out.join('\n')}\n`;
  }
  for (const way of ways) {
    const out = [`  <way id="${way.id}" version="1">`];
    for (const ref of way.nodes) out.push(`    <nd ref="${ref}"/>`);
    tagLines(way.tags, out);
    out.push('  </way>');
    yield `${out.join('\n')}\n`;
  }
  for (const relation of relations) {
    const out = [`  <relation id="${relation.id}" version="1">`];
    for (const m of relation.members)
      out.push(`    <member type="${m.type}" ref="${m.ref}" role="${escapeXml(m.role)}"/>`);
    tagLines(relation.tags, out);
    out.push('  </relation>');
    yield `${out.join('\n')}\n`;
  }
  yield '</osm>\n';
}
