import { describe, expect, it } from 'vitest';
import { presetRules } from '../../src/coverage';
import { defaultScreen, parseScreen } from '../../src/state/url-state';
import { rulesTagline } from '../../src/ui/i18n';

describe('numbers in the URL are decimal only', () => {
  const fallback = defaultScreen('zh-CN');
  it('?green=0x10 and ?cell=0x20 are refused (defaults kept); decimals are taken', () => {
    expect(parseScreen('?green=0x10', fallback).numbers).toEqual(fallback.numbers);
    expect(parseScreen('?cell=0x20', fallback).cellMeters).toBe(fallback.cellMeters);
    expect(parseScreen('?cell=0b11110', fallback).cellMeters).toBe(fallback.cellMeters);
    expect(parseScreen('?cell=40', fallback).cellMeters).toBe(40);
    expect(parseScreen('?green=250,400', fallback).numbers).not.toEqual(fallback.numbers);
  });
});

describe('the header subtitle names the rules in force', () => {
  it('Chengdu by default; another preset says its own radii', () => {
    expect(rulesTagline('zh', presetRules('chengdu'))).toBe('300米见绿、500米见园');
    expect(rulesTagline('en', presetRules('chengdu'))).toBe('300 m to green, 500 m to a park');
    const parkServe = presetRules('parkserve');
    expect(rulesTagline('zh', parkServe)).toBe('800米见园（步行）');
    expect(
      rulesTagline('en', { ...presetRules('chengdu'), green: { ...presetRules('chengdu').green!, radiusMeters: 800 } }),
    ).toBe('800 m to green, 500 m to a park');
  });
});

describe('the reach is settable ("distances up to N m")', () => {
  it('a reach of 1,000 m under Chengdu measures parks up to 1,000 m; null keeps the preset', async () => {
    const { reachMeters } = await import('../../src/coverage');
    const { ruleNumbers, rulesFor } = await import('../../src/state/rule-editing');
    const base = ruleNumbers(presetRules('chengdu'));
    expect(base.reachMeters).toBeNull();
    expect(rulesFor('chengdu', base)).toEqual(presetRules('chengdu'));
    const rules = rulesFor('chengdu', { ...base, reachMeters: 1000 });
    expect(reachMeters(rules, rules.park!)).toBe(1000);
    expect(ruleNumbers(rules).reachMeters).toBe(1000);
    const screen = parseScreen('?reach=1000', defaultScreen('zh-CN'));
    expect(screen.numbers.reachMeters).toBe(1000);
    expect(parseScreen('?reach=0x400', defaultScreen('zh-CN')).numbers.reachMeters).toBeNull();
  });
});
