/**
 * Step 1, the district outline. Why: a real district is neither a square nor a circle; a star-shaped
 * blob with a few low harmonics (and faint high ones) gives an irregular edge that clips streets,
 * communities and blocks the way a real boundary does, at exactly the target area.
 */
import { boundsOf, type Poly, type Pt, pointInRing, type Ring, signedArea } from './geometry';
import type { Random } from './random';
import { demoAreaSquareMeters } from './types';

/** The district outline in metres, its bounding box and its equal-area radius. */
export interface DistrictOutline {
  outline: Ring;
  districtPoly: Poly;
  /** Area of the district, m² (demo area × scale). */
  targetArea: number;
  /** Radius of the circle of the same area, m. */
  radius: number;
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  inDistrict: (p: Pt) => boolean;
}

/** Draws the outline from the `outline` stream, scaled to `demoAreaSquareMeters × scale`. */
export function districtOutline(outlineRng: Random, scale: number): DistrictOutline {
  const vertexCount = 256;
  const harmonics: { k: number; amplitude: number; phase: number }[] = [];
  for (let k = 2; k <= 7; k++) {
    const amplitude = k === 2 ? outlineRng.uniform(0.14, 0.22) : outlineRng.uniform(0.03, 0.1) * (3 / k);
    harmonics.push({ k, amplitude, phase: outlineRng.uniform(0, Math.PI * 2) });
  }
  for (let k = 9; k <= 31; k += 2)
    harmonics.push({ k, amplitude: outlineRng.uniform(0, 0.012), phase: outlineRng.uniform(0, Math.PI * 2) });
  let outline: Ring = [];
  for (let v = 0; v < vertexCount; v++) {
    const theta = (v / vertexCount) * Math.PI * 2;
    let exponent = 0;
    for (const h of harmonics) exponent += h.amplitude * Math.cos(h.k * theta + h.phase);
    const r = Math.exp(exponent);
    outline.push([r * Math.cos(theta), r * Math.sin(theta)]);
  }
  const targetArea = demoAreaSquareMeters * scale;
  const stretch = Math.sqrt(targetArea / Math.abs(signedArea(outline)));
  outline = outline.map(([x, y]) => [x * stretch, y * stretch]);
  const { minX, minY, maxX, maxY } = boundsOf(outline);
  return {
    outline,
    districtPoly: [outline],
    targetArea,
    radius: Math.sqrt(targetArea / Math.PI),
    minX,
    minY,
    maxX,
    maxY,
    inDistrict: (p) => pointInRing(p, outline),
  };
}
