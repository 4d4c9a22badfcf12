/**
 * Names: plausible Chengdu-style place names (two-character words with toneless pinyin), drawn without
 * repeats from a seeded {@link NameBank} per layer. Every name is invented.
 */

import type { Random } from './random';
import type { GreenspaceKind } from './types';

/** Two-character place words with their toneless pinyin syllables. */
const words: [string, string, string][] = `
  和美 he mei, 双桥 shuang qiao, 建设 jian she, 府青 fu qing, 猛追 meng zhui, 万年 wan nian, 杉板 shan ban,
  崔家 cui jia, 跳蹬 tiao deng, 东虹 dong hong, 华林 hua lin, 龙潭 long tan, 青龙 qing long, 保和 bao he,
  圣灯 sheng deng, 白莲 bai lian, 桃蹊 tao xi, 二仙 er xian, 双水 shuang shui, 北湖 bei hu, 新华 xin hua,
  东风 dong feng, 八里 ba li, 李家 li jia, 踏水 ta shui, 驷马 si ma, 五桂 wu gui, 杨柳 yang liu, 枫林 feng lin,
  翠竹 cui zhu, 锦绣 jin xiu, 玉双 yu shuang, 昭觉 zhao jue, 荆竹 jing zhu, 青和 qing he, 槐树 huai shu, 梨花 li hua,
  桂花 gui hua, 紫荆 zi jing, 红花 hong hua, 金马 jin ma, 银杏 yin xing, 长青 chang qing, 双林 shuang lin,
  前锋 qian feng, 建华 jian hua, 民兴 min xing, 宏明 hong ming, 光荣 guang rong, 新鸿 xin hong, 高车 gao che,
  东林 dong lin, 秀苑 xiu yuan, 府河 fu he, 沙湾 sha wan, 望平 wang ping, 多宝 duo bao, 蜀龙 shu long, 和平 he ping,
  联合 lian he, 团结 tuan jie, 幸福 xing fu, 富民 fu min, 福兴 fu xing, 兴隆 xing long, 嘉祥 jia xiang,
  龙华 long hua, 同仁 tong ren, 石岭 shi ling, 桂溪 gui xi, 青林 qing lin, 锦华 jin hua, 天祥 tian xiang,
  东篱 dong li, 宝石 bao shi, 磨盘 mo pan, 水碾 shui nian, 倪家 ni jia, 曹家 cao jia, 怡福 yi fu, 红星 hong xing,
  东秀 dong xiu, 迎晖 ying hui, 桃源 tao yuan, 瑞星 rui xing, 民主 min zhu, 先锋 xian feng, 友谊 you yi,
  东华 dong hua, 映山 ying shan, 泉水 quan shui, 清水 qing shui, 游家 you jia, 白家 bai jia, 何家 he jia,
  龚家 gong jia, 翠林 cui lin, 繁荣 fan rong, 新风 xin feng, 安康 an kang, 和睦 he mu, 瑞丰 rui feng, 丰收 feng shou,
  金桂 jin gui, 映月 ying yue, 卓锦 zhuo jin, 双庆 shuang qing, 东郊 dong jiao
`
  .split(',')
  .map((entry) => entry.trim().split(/\s+/) as [string, string, string]);
const placeSuffixes: [string, string][] = [
  ['桥', 'qiao'],
  ['湾', 'wan'],
  ['坝', 'ba'],
  ['园', 'yuan'],
  ['里', 'li'],
  ['坡', 'po'],
  ['堰', 'yan'],
  ['寺', 'si'],
  ['子', 'zi'],
  ['塘', 'tang'],
  ['街', 'jie'],
];
const modifiers: [string, string][] = [
  ['东', 'East'],
  ['西', 'West'],
  ['南', 'South'],
  ['北', 'North'],
  ['中', 'Central'],
  ['新', 'New'],
  ['上', 'Upper'],
  ['下', 'Lower'],
  ['外', 'Outer'],
];

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Unique name stems for one layer: two-character place words and word + place suffix first (in a
 * seeded order), then pairs of characters from different words, then stems with a direction.
 */
export class NameBank {
  private readonly tiers: { zh: string; en: string }[][];
  private tier = 0;
  private index = 0;
  private modifier = 0;
  private readonly used = new Set<string>();
  constructor(rng: Random) {
    const first = words.map(([zh, a, b]) => ({ zh, en: capitalize(a + b) }));
    const suffixed: { zh: string; en: string }[] = [];
    for (const [zh, a, b] of words) {
      for (const [suffix, pinyin] of placeSuffixes) {
        if (zh.endsWith(suffix) || b === pinyin) continue;
        suffixed.push({ zh: zh + suffix, en: capitalize(a + b + pinyin) });
      }
    }
    const second: { zh: string; en: string }[] = [];
    for (const [zh1, a] of words) {
      for (const [zh2, , b] of words) {
        if (zh1[0] !== zh2[1]) second.push({ zh: zh1[0] + zh2[1], en: capitalize(a + b) });
      }
    }
    this.tiers = [rng.shuffle(first), rng.shuffle(suffixed), rng.shuffle(second)];
  }
  next(): { zh: string; en: string } {
    for (;;) {
      if (this.tier < this.tiers.length) {
        const tier = this.tiers[this.tier];
        if (this.index >= tier.length) {
          this.tier++;
          this.index = 0;
          continue;
        }
        const stem = tier[this.index++];
        if (this.used.has(stem.zh)) continue;
        this.used.add(stem.zh);
        return stem;
      }
      // Exhausted (very large scales): the suffixed stems again, with a direction.
      const base = this.tiers[1];
      const k = this.index++;
      if (k >= base.length) {
        this.index = 0;
        this.modifier++;
        if (this.modifier >= modifiers.length) throw new Error('demo district: out of names');
        continue;
      }
      const [zh, en] = modifiers[this.modifier];
      const stem = { zh: base[k].zh + zh, en: `${base[k].en} ${en}` };
      if (this.used.has(stem.zh)) continue;
      this.used.add(stem.zh);
      return stem;
    }
  }
}

/** Chinese and English suffix of each green-space kind's name. */
const kindNames: Record<GreenspaceKind, [string, string]> = {
  park: ['公园', 'Park'],
  pocket_park: ['小游园', 'Pocket Park'],
  micro_green: ['微绿地', 'Micro-green'],
};

/** The next name of a green space of `kind` from the bank: the stem with the kind's suffix (…公园 / … Park). */
export function greenName(bank: NameBank, kind: GreenspaceKind): { zh: string; en: string } {
  const stem = bank.next();
  return { zh: stem.zh + kindNames[kind][0], en: `${stem.en} ${kindNames[kind][1]}` };
}
