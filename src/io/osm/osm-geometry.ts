/**
 * Geometry of the kept OSM elements: way paths from node ids (binary search in the extract's sorted
 * node ids), areas from closed ways and multipolygon/boundary relations (assemble-areas.ts), route
 * relations as lines (sub-relations followed, loops refused). Way paths are cached (unless a stream asks
 * not to) so layers that share a way (streets and the basemap) share its coordinate arrays.
 */
import { assembleArea, closedWayPolygon, isClosedWay, type WayPath } from './assemble-areas';
import { OsmError } from './osm-error';
import { findId, MEMBER_RELATION, MEMBER_WAY, type OsmExtract, type OsmRelation } from './osm-store';

/** What to do with a way that refers to a node missing from the file. */
export type MissingNodePolicy = 'error' | 'skip';

/** An element skipped while building geometry, with the reason. */
export interface OsmSkipped {
  type: 'node' | 'way' | 'relation';
  id: number;
  reason: string;
}

/** Builds and caches geometry for one extract. */
export class OsmGeometry {
  private readonly paths = new Map<number, WayPath | null>();
  readonly skipped: OsmSkipped[] = [];
  private readonly relationsById = new Map<number, OsmRelation>();

  constructor(
    readonly extract: OsmExtract,
    private readonly missingNodes: MissingNodePolicy = 'error',
    /**
     * Keep every way's path once built, so layers that share a way share its arrays. A stream that
     * visits each way once turns this off: a city's cached buildings were most of its garbage.
     */
    private readonly cachePaths = true,
  ) {
    for (const relation of extract.relations) this.relationsById.set(relation.id, relation);
    this.checkRelationLoops();
  }

  /** Index of a way id in the extract, or -1. */
  wayIndex(wayId: number): number {
    return findId(this.extract.wayIds, wayId);
  }

  /** Node ids of way `index`. */
  wayRefs(index: number): Float64Array {
    const { wayRefStart, wayRefs } = this.extract;
    return wayRefs.subarray(wayRefStart[index], wayRefStart[index + 1]);
  }

  /** The way's path, or null (skipped and listed, or an OsmError) when a node is missing. */
  wayPath(index: number): WayPath | null {
    const cached = this.paths.get(index);
    if (cached !== undefined) return cached;
    const { nodeIds, nodeLon7, nodeLat7, wayIds, fileName } = this.extract;
    const refs = this.wayRefs(index);
    const coordinates: [number, number][] = new Array(refs.length);
    let path: WayPath | null = { refs, coordinates };
    for (let k = 0; k < refs.length; k++) {
      const at = findId(nodeIds, refs[k]);
      if (at < 0) {
        const wayId = wayIds[index];
        if (this.missingNodes === 'error') {
          throw new OsmError(
            fileName,
            'osm.missing-node',
            `way ${wayId} refers to node ${refs[k]}, which is not in the file (an extract cut without complete ways? re-cut it with \`osmium extract --strategy complete_ways\`)`,
            `路径 ${wayId} 引用的节点 ${refs[k]} 不在文件中（提取时未保留完整路径？请用 \`osmium extract --strategy complete_ways\` 重新提取）`,
          );
        }
        this.skipped.push({ type: 'way', id: wayId, reason: `node ${refs[k]} is not in the file` });
        path = null;
        break;
      }
      coordinates[k] = [nodeLon7[at] / 1e7, nodeLat7[at] / 1e7];
    }
    if (this.cachePaths) this.paths.set(index, path);
    return path;
  }

  /** The way as a polygon when it is closed, else null. */
  closedWayArea(index: number): [number, number][][] | null {
    if (!isClosedWay(this.wayRefs(index))) return null;
    const path = this.wayPath(index);
    return path ? closedWayPolygon(path) : null;
  }

  /** Polygons of a multipolygon/boundary relation, or null (skipped and listed with the reason). */
  relationArea(relation: OsmRelation): [number, number][][][] | null {
    const members = relation.members.filter((m) => m.type === MEMBER_WAY).map((m) => ({ wayId: m.ref, role: m.role }));
    const result = assembleArea(members, (wayId) => {
      const index = this.wayIndex(wayId);
      return index < 0 ? null : this.wayPath(index);
    });
    if ('reason' in result) {
      this.skipped.push({ type: 'relation', id: relation.id, reason: result.reason });
      return null;
    }
    return result.polygons;
  }

  /** Node ids of a relation's member ways (for "is this gate on the park's boundary"). */
  relationWayRefs(relation: OsmRelation): Float64Array[] {
    const out: Float64Array[] = [];
    for (const m of relation.members) {
      if (m.type !== MEMBER_WAY) continue;
      const index = this.wayIndex(m.ref);
      if (index >= 0) out.push(this.wayRefs(index));
    }
    return out;
  }

  /** A route relation's member ways (and those of its sub-relations) as lines; null when none is present. */
  routeLines(relation: OsmRelation): [number, number][][] | null {
    const lines: [number, number][][] = [];
    const seen = new Set<number>();
    const visit = (r: OsmRelation) => {
      if (seen.has(r.id)) return;
      seen.add(r.id);
      for (const m of r.members) {
        if (m.type === MEMBER_WAY) {
          const index = this.wayIndex(m.ref);
          const path = index >= 0 ? this.wayPath(index) : null;
          if (path && path.coordinates.length >= 2) lines.push(path.coordinates);
        } else if (m.type === MEMBER_RELATION) {
          const child = this.relationsById.get(m.ref);
          if (child) visit(child);
        }
      }
    };
    visit(relation);
    if (lines.length === 0) {
      this.skipped.push({
        type: 'relation',
        id: relation.id,
        reason: 'none of the route member ways is in the extract',
      });
      return null;
    }
    return lines;
  }

  /** Refuses relations that contain themselves through their relation members. */
  private checkRelationLoops(): void {
    const state = new Map<number, 1 | 2>();
    const stack: number[] = [];
    const visit = (relation: OsmRelation): void => {
      state.set(relation.id, 1);
      stack.push(relation.id);
      for (const m of relation.members) {
        if (m.type !== MEMBER_RELATION) continue;
        const child = this.relationsById.get(m.ref);
        if (!child) continue;
        const s = state.get(child.id);
        if (s === 1) {
          const cycle = [...stack.slice(stack.indexOf(child.id)), child.id].map((id) => `relation ${id}`).join(' → ');
          throw new OsmError(
            this.extract.fileName,
            'osm.relation-loop',
            `relations contain each other in a loop: ${cycle}`,
            `关系互相包含形成循环：${cycle.replaceAll('relation', '关系')}`,
          );
        }
        if (s === undefined) visit(child);
      }
      stack.pop();
      state.set(relation.id, 2);
    };
    for (const relation of this.extract.relations) if (!state.has(relation.id)) visit(relation);
  }
}
