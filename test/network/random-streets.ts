import type { Feature } from 'geojson';
import { mulberry32 } from '../../scripts/seeded-random';
import type { CoverageLayers } from '../../src/coverage';
import { collection, frame } from './scene';

export interface RandomStreetsOptions {
  seed: number;
  latitude: number;
  sizeMeters?: number;
  spacingMeters?: number;
  parks?: number;
}

/**
 * A seeded street grid for oracle and property tests: a jittered lattice whose rows and columns are
 * streets sharing their lattice vertices (junctions) with a bend (an interior vertex) on every row
 * between junctions, some street pieces removed (gaps), a few
 * diagonal footpaths that cross streets without a junction (bridges/tunnels), a river (barrier) across
 * the middle that every north–south street stops at except two bridges, random parks and green spaces,
 * and one greenway along a lattice row.
 */
export function randomStreets(
  options: RandomStreetsOptions,
): CoverageLayers & { lattice: [number, number][][]; bends: [number, number][][] } {
  const { seed, latitude, sizeMeters = 1200, spacingMeters = 120, parks = 6 } = options;
  const random = mulberry32(seed);
  const { line, rect, square } = frame(104.1, latitude);
  const n = Math.floor(sizeMeters / spacingMeters) + 1;
  const lattice: [number, number][][] = [];
  for (let i = 0; i < n; i++) {
    lattice.push([]);
    for (let j = 0; j < n; j++) {
      const jitter = () => (random() - 0.5) * spacingMeters * 0.3;
      lattice[i].push([j * spacingMeters + jitter(), i * spacingMeters + jitter()]);
    }
  }
  const riverRow = Math.floor(n / 2);
  const riverY = (riverRow - 0.5) * spacingMeters;
  const bridges = new Set([1 + Math.floor(random() * (n - 2)), 1 + Math.floor(random() * (n - 2))]);
  const streets: Feature[] = [];
  const highways = ['residential', 'footway', 'tertiary', 'service', 'path', 'living_street'];
  const tag = () => ({ highway: highways[Math.floor(random() * highways.length)] });
  // Rows: east–west streets with a bend between junctions (an interior vertex), cut where a gap is drawn.
  const bends: [number, number][][] = [];
  for (let i = 0; i < n; i++) {
    bends.push([]);
    let piece: [number, number][] = [lattice[i][0]];
    for (let j = 1; j < n; j++) {
      const [ax, ay] = lattice[i][j - 1];
      const [bx, by] = lattice[i][j];
      bends[i][j] = [(ax + bx) / 2, (ay + by) / 2 + (random() - 0.5) * spacingMeters * 0.2];
      if (random() < 0.08) {
        if (piece.length > 1) streets.push(line(piece, tag()));
        piece = [lattice[i][j]];
      } else piece.push(bends[i][j], lattice[i][j]);
    }
    if (piece.length > 1) streets.push(line(piece, tag()));
  }
  // Columns: north–south streets, stopping at the river except at the bridges.
  for (let j = 0; j < n; j++) {
    let piece: [number, number][] = [lattice[0][j]];
    for (let i = 1; i < n; i++) {
      const crossesRiver = i === riverRow && !bridges.has(j);
      if (crossesRiver || random() < 0.08) {
        if (piece.length > 1) streets.push(line(piece, tag()));
        piece = [lattice[i][j]];
      } else piece.push(lattice[i][j]);
    }
    if (piece.length > 1) streets.push(line(piece, tag()));
  }
  // Diagonals with no vertex between their ends: they cross streets without joining them.
  for (let d = 0; d < 4; d++) {
    const i = Math.floor(random() * (n - 2));
    const j = Math.floor(random() * (n - 2));
    if (i < riverRow && i + 2 >= riverRow) continue;
    streets.push(line([lattice[i][j], lattice[i + 2][j + 2]], { highway: 'footway', bridge: 'yes' }));
  }
  // A motorway (not walkable) across everything.
  streets.push(
    line(
      [
        [-50, sizeMeters * 0.3],
        [sizeMeters + 50, sizeMeters * 0.7],
      ],
      { highway: 'motorway' },
    ),
  );
  const barriers = [
    line(
      [
        [-100, riverY],
        [sizeMeters + 100, riverY],
      ],
      { waterway: 'river' },
    ),
  ];
  const greenspaces: Feature[] = [];
  for (let p = 0; p < parks; p++) {
    const w = 40 + random() * 110;
    const h = 40 + random() * 110;
    greenspaces.push(rect(random() * (sizeMeters - w), random() * (sizeMeters - h), w, h, { kind: 'park' }));
  }
  for (let p = 0; p < 3; p++)
    greenspaces.push(square(random() * sizeMeters, random() * sizeMeters, 25, { kind: 'green_space' }));
  const greenRow = 1 + Math.floor(random() * (n - 2));
  const greenways = [line(lattice[greenRow].slice(0, Math.ceil(n / 2)), { name: 'greenway' })];
  return {
    communities: collection([rect(0, 0, sizeMeters, sizeMeters, { name: 'c', population: 1000 })]),
    residential: null,
    greenways: collection(greenways),
    greenspaces: collection(greenspaces),
    streets: collection(streets),
    barriers: collection(barriers),
    entrances: null,
    lattice,
    bends,
  };
}
