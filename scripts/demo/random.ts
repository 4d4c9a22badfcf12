/**
 * Seeded randomness of the demo generator: one independent mulberry32 stream per step (named by a
 * label), so tuning one step does not reshuffle the others, and a smooth noise field.
 */
import { mulberry32 } from '../seeded-random';

/** An independent stream per stage, so tuning one stage does not reshuffle the others. */
export function hashSeed(seed: number, label: string): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h = Math.imul(h ^ label.charCodeAt(i), 0x85ebca6b);
    h ^= h >>> 13;
  }
  h = Math.imul(h ^ (h >>> 16), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A seeded stream (mulberry32 of the seed hashed with a label) with the draws the steps use. */
export class Random {
  readonly next: () => number;
  constructor(seed: number, label: string) {
    this.next = mulberry32(hashSeed(seed, label));
  }
  uniform(a: number, b: number): number {
    return a + (b - a) * this.next();
  }
  /** Integer in [a, b], both inclusive. */
  int(a: number, b: number): number {
    return a + Math.floor(this.next() * (b - a + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }
}

/** A smooth random field in about [-1, 1]: a sum of plane waves. */
export function noiseField(
  rng: Random,
  components: number,
  minWave: number,
  maxWave: number,
): (x: number, y: number) => number {
  const waves: { kx: number; ky: number; phase: number; amplitude: number }[] = [];
  let total = 0;
  for (let k = 0; k < components; k++) {
    const angle = rng.uniform(0, Math.PI * 2);
    const wave = rng.uniform(minWave, maxWave);
    const amplitude = rng.uniform(0.5, 1);
    total += amplitude;
    waves.push({
      kx: (Math.cos(angle) * 2 * Math.PI) / wave,
      ky: (Math.sin(angle) * 2 * Math.PI) / wave,
      phase: rng.uniform(0, Math.PI * 2),
      amplitude,
    });
  }
  return (x, y) => {
    let sum = 0;
    for (const w of waves) sum += w.amplitude * Math.sin(w.kx * x + w.ky * y + w.phase);
    return sum / total;
  };
}
