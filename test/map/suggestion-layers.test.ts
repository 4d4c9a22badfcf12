import { describe, expect, it } from 'vitest';
import { squareSite } from '../../src/coverage/suggest-sites';
import { suggestionLayers } from '../../src/map/suggestion-layers';

describe('suggested sites on the map', () => {
  it('every site not yet adopted gets an outline and a numbered badge at its middle', () => {
    const sites = [1, 2, 3].map((rank) => ({
      rank,
      feature: squareSite(104.1 + rank * 0.01, 30.66, 100, 'pocket_park'),
    }));
    const layers = suggestionLayers(sites);
    expect(layers.map((layer) => layer.id)).toEqual([
      'suggested-sites',
      'suggested-site-badges',
      'suggested-site-numbers',
    ]);
    const numbers = layers[2].props as unknown as {
      data: { rank: number; position: number[] }[];
      getText: (d: { rank: number }) => string;
    };
    expect(numbers.data.map((badge) => numbers.getText(badge))).toEqual(['1', '2', '3']);
    expect(numbers.data[0].position[0]).toBeCloseTo(104.11, 3);
    expect(suggestionLayers([])).toEqual([]);
  });
});
