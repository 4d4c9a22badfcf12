/**
 * Step 15, buildings. Why: a basemap at high zoom needs footprints, and issue 12 spreads population
 * by floor area (footprint × `building:levels`); an OSM extract of the demo needs them too. Each
 * whole-block compound gets one or two buildings (two rows of slabs, or a pair of towers) inside a 10 m margin, clear of a carved green
 * corner: old six- and seven-storey walk-up slabs (south-facing, long east–west) where a community
 * is a gap, mid-rise slabs where it is moderate, 18–33-storey towers where it is well served (the
 * newer estates). Free-form compounds (cut by the district edge or the river) get none.
 */
import type { Pt, Ring } from './geometry';
import type { Level } from './land-use';
import type { Random } from './random';
import { type Parcel, parcelPoint } from './residential';

/** A building footprint in metres, with its number of storeys and its compound's id. */
export interface Building {
  ring: Ring;
  levels: number;
  compound: number;
}

interface Style {
  /** Buildings side by side in a row, and rows, at most. */
  perRow: number;
  rows: number;
  length: [number, number];
  depth: [number, number];
  levels: [number, number];
  gapAlong: number;
  gapAcross: number;
}

const styles: Record<'walkUp' | 'midRise' | 'tower', Style> = {
  walkUp: { perRow: 1, rows: 2, length: [50, 80], depth: [11, 13], levels: [6, 7], gapAlong: 12, gapAcross: 20 },
  midRise: { perRow: 1, rows: 2, length: [50, 80], depth: [14, 16], levels: [11, 18], gapAlong: 18, gapAcross: 35 },
  tower: { perRow: 2, rows: 1, length: [26, 34], depth: [20, 24], levels: [18, 33], gapAlong: 30, gapAcross: 40 },
};
const margin = 10;

/** Lays out buildings on every parcel, from the `buildings` stream. */
export function placeBuildings(buildingRng: Random, parcels: Parcel[], communityLevel: Level[]): Building[] {
  const buildings: Building[] = [];
  for (const parcel of parcels) {
    const level = communityLevel[parcel.community];
    const roll = buildingRng.next();
    const style =
      level === 'gap'
        ? styles.walkUp
        : level === 'moderate'
          ? roll < 0.6
            ? styles.midRise
            : roll < 0.8
              ? styles.walkUp
              : styles.tower
          : roll < 0.7
            ? styles.tower
            : styles.midRise;
    const width = (parcel.s1 - parcel.s0) * parcel.blockWidth;
    const height = (parcel.t1 - parcel.t0) * parcel.blockHeight;
    const length = buildingRng.uniform(...style.length);
    const depth = buildingRng.uniform(...style.depth);
    const perRow = Math.min(
      style.perRow,
      Math.floor((width - 2 * margin + style.gapAlong) / (length + style.gapAlong)),
    );
    const rows = Math.min(style.rows, Math.floor((height - 2 * margin + style.gapAcross) / (depth + style.gapAcross)));
    if (perRow < 1 || rows < 1) continue;
    // The carved corner's box in the parcel's corner-0 frame, grown by the margin.
    const carved = carvedBox(parcel, width, height);
    const usedWidth = perRow * length + (perRow - 1) * style.gapAlong;
    const usedHeight = rows * depth + (rows - 1) * style.gapAcross;
    const x0 = (width - usedWidth) / 2;
    const y0 = (height - usedHeight) / 2;
    for (let row = 0; row < rows; row++) {
      for (let k = 0; k < perRow; k++) {
        const x = x0 + k * (length + style.gapAlong);
        const y = y0 + row * (depth + style.gapAcross);
        const box: [number, number, number, number] = [
          x / width,
          y / height,
          (x + length) / width,
          (y + depth) / height,
        ];
        if (carved && box[0] < carved[2] && carved[0] < box[2] && box[1] < carved[3] && carved[1] < box[3]) continue;
        const ring: Pt[] = [
          parcelPoint(parcel, 0, box[0], box[1]),
          parcelPoint(parcel, 0, box[2], box[1]),
          parcelPoint(parcel, 0, box[2], box[3]),
          parcelPoint(parcel, 0, box[0], box[3]),
        ];
        buildings.push({ ring, levels: buildingRng.int(...style.levels), compound: parcel.id });
      }
    }
  }
  return buildings;
}

/** The carved green corner of a parcel as [σ0, τ0, σ1, τ1] in its corner-0 frame (with the margin), or null. */
function carvedBox(parcel: Parcel, width: number, height: number): [number, number, number, number] | null {
  if (!parcel.carve) return null;
  const { corner, alpha, beta } = parcel.carve;
  const ds = alpha + margin / width;
  const dt = beta + margin / height;
  const flipS = corner === 1 || corner === 2;
  const flipT = corner >= 2;
  return [flipS ? 1 - ds : 0, flipT ? 1 - dt : 0, flipS ? 1 : ds, flipT ? 1 : dt];
}
