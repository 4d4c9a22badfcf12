/**
 * Step 4, communities (社区). Why: coverage is reported per community, so the communities must tile
 * the district without gaps or overlaps and follow the streets, as real community boundaries do.
 * Seeds are spread over the district (cheap Poisson-disc sampling), every lattice cell joins the
 * nearest seed (distances weighted per seed, so sizes vary), each community is made 4-connected, and
 * its outline is traced along the street centrelines and clipped to the district edge.
 */
import { clipPolys, distance, type Poly, type Pt, polyArea, SpatialHash, signedArea } from './geometry';
import type { Lattice } from './lattice';
import type { DistrictOutline } from './outline';
import type { Random } from './random';

/** The land cells, which community owns each cell, and each community's cells and outline. */
export interface Communities {
  /** Cells wholly or partly inside the district. */
  landCells: number[];
  /** Cells wholly inside the district. */
  fullCells: number[];
  /** Centre of every land cell. */
  centers: Map<number, Pt>;
  /** Owning community of every cell (-1 outside the district). */
  owner: Int32Array;
  /** Cells of each community. */
  cells: number[][];
  /** Outline of each community (outer ring, then holes). */
  polys: Poly[];
}

/** Lays out about 80 communities per unit of scale from the `communities` stream. */
export function layoutCommunities(
  communityRng: Random,
  district: DistrictOutline,
  lattice: Lattice,
  scale: number,
): Communities {
  const { targetArea, districtPoly } = district;
  const { cellCount, cellState, cellCenter, neighbours, nu, cellColumns, cellRows, corners } = lattice;
  const landCells: number[] = [];
  const fullCells: number[] = [];
  for (let c = 0; c < cellCount; c++) {
    if (cellState[c] > 0) landCells.push(c);
    if (cellState[c] === 2) fullCells.push(c);
  }
  const centers = new Map<number, Pt>();
  for (const c of landCells) centers.set(c, cellCenter(c));
  const communityTarget = Math.max(4, Math.round(80 * scale));
  const seedCells: number[] = [];
  const seedHash = new SpatialHash(1500);
  const seedSpacing = Math.sqrt(targetArea / communityTarget);
  for (let n = 0; n < communityTarget; n++) {
    // Best of several candidates: the one farthest from existing seeds (cheap Poisson-disc sampling).
    let best = -1;
    let bestDistance = -1;
    for (let attempt = 0; attempt < 12; attempt++) {
      const c = communityRng.pick(fullCells);
      if (seedCells.includes(c)) continue;
      let d = seedSpacing * 3;
      for (let r = seedSpacing * 0.25; r <= seedSpacing * 2; r *= 1.5) {
        if (seedHash.near(centers.get(c)!, r, r)) {
          d = r;
          break;
        }
      }
      if (d > bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    if (best < 0) continue;
    seedCells.push(best);
    seedHash.add(centers.get(best)!);
  }
  const seedWeights = seedCells.map(() => communityRng.uniform(0.8, 1.25));
  const seedPoints = seedCells.map((c) => centers.get(c)!);
  const owner = new Int32Array(cellCount).fill(-1);
  {
    // Bucket seeds for the nearest-seed search.
    const bucketSize = seedSpacing * 2;
    const buckets = new Map<string, number[]>();
    seedPoints.forEach((p, k) => {
      const key = `${Math.floor(p[0] / bucketSize)},${Math.floor(p[1] / bucketSize)}`;
      if (!buckets.has(key)) buckets.set(key, []);
      buckets.get(key)!.push(k);
    });
    for (const c of landCells) {
      const p = centers.get(c)!;
      const bi = Math.floor(p[0] / bucketSize);
      const bj = Math.floor(p[1] / bucketSize);
      let best = -1;
      let bestScore = Infinity;
      for (let ring = 1; best < 0 || ring <= 2; ring++) {
        for (let di = -ring; di <= ring; di++) {
          for (let dj = -ring; dj <= ring; dj++) {
            for (const k of buckets.get(`${bi + di},${bj + dj}`) ?? []) {
              const score = distance(p, seedPoints[k]) / seedWeights[k];
              if (score < bestScore || (score === bestScore && k < best)) {
                bestScore = score;
                best = k;
              }
            }
          }
        }
        if (ring > 50) break;
      }
      owner[c] = best;
    }
  }
  for (let pass = 0; pass < 20; pass++) {
    let changed = false;
    const byCommunity = new Map<number, number[]>();
    for (const c of landCells) {
      if (!byCommunity.has(owner[c])) byCommunity.set(owner[c], []);
      byCommunity.get(owner[c])!.push(c);
    }
    for (const [community, cells] of byCommunity) {
      const seen = new Set<number>();
      const components: number[][] = [];
      for (const start of cells) {
        if (seen.has(start)) continue;
        const component = [start];
        seen.add(start);
        for (let k = 0; k < component.length; k++) {
          for (const n of neighbours(component[k])) {
            if (owner[n] === community && !seen.has(n)) {
              seen.add(n);
              component.push(n);
            }
          }
        }
        components.push(component);
      }
      if (components.length < 2) continue;
      const seedCell = seedCells[community];
      const keep = components.find((component) => component.includes(seedCell)) ?? components[0];
      for (const component of components) {
        if (component === keep) continue;
        for (const c of component) {
          const other = neighbours(c).find((n) => owner[n] >= 0 && owner[n] !== community);
          if (other !== undefined) {
            owner[c] = owner[other];
            changed = true;
          }
        }
      }
    }
    if (!changed) break;
  }
  const communityCells: number[][] = seedCells.map(() => []);
  for (const c of landCells) if (owner[c] >= 0) communityCells[owner[c]].push(c);

  // Community outlines: the boundary of each community's cells, along the street centrelines,
  // clipped to the district where it reaches the edge.
  const communityPolys: Poly[] = communityCells.map((cells, community) => {
    const edges: [number, number][] = [];
    for (const c of cells) {
      const i = c % cellColumns;
      const j = (c - i) / cellColumns;
      const a = j * nu + i;
      const b = a + 1;
      const d = a + nu;
      const e = d + 1;
      const other = (n: number | null) => n === null || owner[n] !== community;
      if (other(j > 0 ? c - cellColumns : null)) edges.push([a, b]);
      if (other(i < cellColumns - 1 ? c + 1 : null)) edges.push([b, e]);
      if (other(j < cellRows - 1 ? c + cellColumns : null)) edges.push([e, d]);
      if (other(i > 0 ? c - 1 : null)) edges.push([d, a]);
    }
    const outgoing = new Map<number, number[]>();
    edges.forEach(([from], k) => {
      if (!outgoing.has(from)) outgoing.set(from, []);
      outgoing.get(from)!.push(k);
    });
    const used = new Uint8Array(edges.length);
    const rings: number[][] = [];
    for (let first = 0; first < edges.length; first++) {
      if (used[first]) continue;
      const ring: number[] = [];
      let k = first;
      for (;;) {
        used[k] = 1;
        const [from, to] = edges[k];
        ring.push(from);
        if (to === edges[first][0]) break;
        const candidates = (outgoing.get(to) ?? []).filter((n) => !used[n]);
        if (candidates.length === 0) break;
        // Prefer the left turn at a vertex where the region touches itself diagonally.
        const di = (to % nu) - (from % nu);
        const dj = Math.floor(to / nu) - Math.floor(from / nu);
        let bestScore = -Infinity;
        for (const n of candidates) {
          const ni = (edges[n][1] % nu) - (to % nu);
          const nj = Math.floor(edges[n][1] / nu) - Math.floor(to / nu);
          const cross = di * nj - dj * ni;
          const score = cross > 0 ? 2 : cross === 0 ? 1 : 0;
          if (score > bestScore) {
            bestScore = score;
            k = n;
          }
        }
      }
      rings.push(ring);
    }
    const indexArea = (ring: number[]) => signedArea(ring.map((v) => [v % nu, Math.floor(v / nu)] as Pt));
    const outers = rings.filter((ring) => indexArea(ring) > 0).sort((a, b) => indexArea(b) - indexArea(a));
    const holes = rings.filter((ring) => indexArea(ring) < 0);
    let poly: Poly = [outers[0], ...holes].map((ring) => ring.map((v) => corners[v]));
    if (cells.some((c) => cellState[c] === 1)) {
      const parts = clipPolys(poly, districtPoly).sort((a, b) => polyArea(b) - polyArea(a));
      poly = parts[0];
    }
    return poly;
  });
  return { landCells, fullCells, centers, owner, cells: communityCells, polys: communityPolys };
}
