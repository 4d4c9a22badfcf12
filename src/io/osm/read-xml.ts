/**
 * The `.osm` XML driver: a streaming SAX pass with `saxes` (the XML parser jsdom uses; pure JavaScript,
 * no Node APIs), text decoded chunk by chunk, elements handed to the sink as their end tag is read.
 */
import { SaxesParser } from 'saxes';
import { OsmError } from './osm-error';
import { MEMBER_NODE, MEMBER_RELATION, MEMBER_WAY, type OsmMember, type OsmSink, type OsmTags } from './osm-store';

const MEMBER_TYPES: Record<string, number> = { node: MEMBER_NODE, way: MEMBER_WAY, relation: MEMBER_RELATION };

/**
 * Reads OSM XML from `chunks` (UTF-8 bytes). `afterChunk` is called after each chunk (progress and
 * cancellation happen there). Throws an OsmError naming the line and column on malformed XML.
 */
export async function readOsmXml(
  chunks: AsyncIterable<Uint8Array>,
  fileName: string,
  sink: OsmSink,
  afterChunk: () => void | Promise<void>,
): Promise<void> {
  const parser = new SaxesParser({ xmlns: false, position: true });
  let kind = '';
  let id = 0;
  let lon7 = 0;
  let lat7 = 0;
  let tags: OsmTags | null = null;
  const refs: number[] = [];
  let members: OsmMember[] = [];
  let sawRoot = false;
  parser.on('opentag', (tag) => {
    const a = tag.attributes as Record<string, string>;
    switch (tag.name) {
      case 'osm':
      case 'osmChange':
        sawRoot = true;
        break;
      case 'node':
        kind = 'node';
        id = Number(a.id);
        lon7 = Math.round(Number(a.lon) * 1e7);
        lat7 = Math.round(Number(a.lat) * 1e7);
        tags = null;
        break;
      case 'way':
        kind = 'way';
        id = Number(a.id);
        refs.length = 0;
        tags = null;
        break;
      case 'relation':
        kind = 'relation';
        id = Number(a.id);
        members = [];
        tags = null;
        break;
      case 'nd':
        if (kind === 'way') refs.push(Number(a.ref));
        break;
      case 'member':
        if (kind === 'relation') {
          members.push({ type: MEMBER_TYPES[a.type] ?? MEMBER_NODE, ref: Number(a.ref), role: a.role ?? '' });
        }
        break;
      case 'tag':
        if (kind) {
          tags ??= {};
          tags[a.k] = a.v ?? '';
        }
        break;
    }
  });
  parser.on('closetag', (tag) => {
    if (tag.name !== kind) return;
    if (!Number.isSafeInteger(id)) {
      throw new Error(`${kind} has no valid id`);
    }
    if (kind === 'node') {
      if (!Number.isFinite(lon7) || !Number.isFinite(lat7)) throw new Error(`node ${id} has no valid lat/lon`);
      sink.node(id, lon7, lat7, tags);
    } else if (kind === 'way') sink.way(id, refs, refs.length, tags);
    else sink.relation(id, members, tags);
    kind = '';
  });
  const decoder = new TextDecoder();
  const write = (text: string) => {
    try {
      parser.write(text);
    } catch (error) {
      throw new OsmError(
        fileName,
        'osm.xml-malformed',
        `malformed OSM XML near line ${parser.line}, column ${parser.column}: ${messageOf(error)}`,
        `OSM XML 格式错误（约第 ${parser.line} 行第 ${parser.column} 列）：${messageOf(error)}`,
      );
    }
  };
  for await (const chunk of chunks) {
    write(decoder.decode(chunk, { stream: true }));
    await afterChunk();
  }
  write(decoder.decode());
  try {
    parser.close();
  } catch (error) {
    throw new OsmError(
      fileName,
      'osm.xml-malformed',
      `the OSM XML ends early (line ${parser.line}): ${messageOf(error)}`,
      `OSM XML 意外结束（第 ${parser.line} 行）：${messageOf(error)}`,
    );
  }
  if (!sawRoot) {
    throw new OsmError(fileName, 'osm.xml-malformed', 'the XML has no <osm> element', 'XML 中没有 <osm> 元素');
  }
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/^[^:]*:\d+:\d+: /, '');
}
