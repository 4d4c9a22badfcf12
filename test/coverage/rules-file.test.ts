import { describe, expect, it } from 'vitest';
import { parseRules, presetRules } from '../../src/coverage';

// A rules file (CLI --rules, or the rule editor's set) is checked field by field: a misspelt or
// mistyped field is refused with its name, never replaced by the preset's value without a word.

describe('parseRules', () => {
  it('takes what a file changes and the preset for the rest', () => {
    const rules = parseRules({ extends: 'chengdu', park: { radiusMeters: 800 } });
    expect(rules.id).toBe('chengdu-custom');
    expect(rules.park!.radiusMeters).toBe(800);
    expect(rules.green).toEqual(presetRules('chengdu').green);
  });

  it.each([
    [{ id: 3 }, 'rules.id must be a non-empty string, got 3'],
    [{ extends: ['who'] }, 'rules.extends must be a non-empty string'],
    [{ grean: { radiusMeters: 300 } }, 'rules.grean is not a rules field'],
    [
      { green: { radius: 250 } },
      'rules.green.radius is not a rules field (known: radiusMeters, minimumAreaSquareMeters, kinds)',
    ],
    [{ park: { radiusMeters: -3 } }, 'rules.park.radiusMeters must be a number from 1 to 5000, got -3'],
    [{ extends: 'nowhere' }, 'unknown rule preset "nowhere"'],
  ])('refuses %j, naming the field', (input, message) => {
    expect(() => parseRules(input)).toThrow(message);
  });

  it('reads back every preset it writes (each field of a whole rule set is known)', () => {
    for (const id of ['chengdu', 'who']) {
      const preset = presetRules(id);
      expect(parseRules(JSON.parse(JSON.stringify(preset)))).toEqual(preset);
    }
  });
});
