import { describe, expect, it } from 'vitest';
import { COMMUNITIES_GRID_GUESS } from '../../src/io/osm/derive-layers';
import { defaultTagTable } from '../../src/io/osm/tag-table';
import { guessText } from '../../src/ui/osm-import-dialog';

// The OSM derivation says what it guessed in English (the CLI prints it); the import dialog says it in
// the interface language. Every guess the engine can make has its Chinese text.

describe('OSM guesses in the interface language', () => {
  const guesses = [...defaultTagTable().flatMap((rule) => (rule.guess ? [rule.guess] : [])), COMMUNITIES_GRID_GUESS];

  it('has a Chinese text for every guess of the tag table and the community grid', () => {
    expect(guesses.length).toBeGreaterThanOrEqual(5);
    for (const guess of guesses) {
      const chinese = guessText('zh', guess);
      expect(chinese, guess).not.toBe(guess);
      expect(chinese, guess).toMatch(/[\u4e00-\u9fff]/);
      expect(guessText('en', guess)).toBe(guess);
    }
  });

  it('leaves a guess it does not know as it is', () => {
    expect(guessText('zh', 'something new')).toBe('something new');
  });
});
