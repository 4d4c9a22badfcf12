import type { Language } from '../state/url-state';

/** Interface text in Chinese and English, using the planners' vocabulary (../shared/DOMAIN.md). */
const messages = {
  title: { zh: 'GreenReach 绿地可达性', en: 'GreenReach green-space access' },
  tagline: { zh: '300米见绿、500米见园', en: '300 m to green, 500 m to a park' },
  synthetic: {
    zh: '合成示例数据：演示用的虚构地理（仿成华区），并非真实规划数据。',
    en: 'Synthetic demo data: invented geometry modelled on Chenghua district, not real planning data.',
  },
  language: { zh: 'English', en: '中文' },
  languageLabel: { zh: 'Switch to English', en: '切换到中文' },
  rules: { zh: '规则', en: 'Rules' },
  preset: { zh: '标准', en: 'Standard' },
  greenRadius: { zh: '见绿服务半径（米）', en: 'Green radius (m)' },
  greenArea: { zh: '绿地最小面积（平方米）', en: 'Green space minimum area (m²)' },
  parkRadius: { zh: '见园服务半径（米）', en: 'Park radius (m)' },
  parkArea: { zh: '公园最小面积（平方米）', en: 'Park minimum area (m²)' },
  cellMeters: { zh: '网格大小（米）', en: 'Cell size (m)' },
  notUsed: { zh: '此标准不使用', en: 'not used by this standard' },
  legend: { zh: '图例', en: 'Legend' },
  rulesInForce: { zh: '现行规则', en: 'Rules in force' },
  both: { zh: '见绿且见园', en: 'Meets both' },
  greenOnly: { zh: '仅见绿', en: 'Green only' },
  parkOnly: { zh: '仅见园', en: 'Park only' },
  neither: { zh: '均未达到（缺口）', en: 'Neither (gap)' },
  meets: { zh: '达标', en: 'Meets the rule' },
  notMeets: { zh: '未达标（缺口）', en: 'Misses the rule (gap)' },
  neitherPattern: { zh: '白色斜线', en: 'white diagonal hatching' },
  layers: { zh: '图层', en: 'Layers' },
  layer_cells: { zh: '居住用地网格', en: 'Residential cells' },
  layer_gapsOnly: { zh: '只显示缺口', en: 'Gaps only' },
  layer_greenways: { zh: '绿道', en: 'Greenways' },
  layer_greenspaces: { zh: '绿地与公园', en: 'Green spaces and parks' },
  layer_communities: { zh: '社区边界', en: 'Community outlines' },
  layer_streets: { zh: '街道', en: 'Streets' },
  city: { zh: '全区概况', en: 'District summary' },
  baselineResult: { zh: '显示：现状（不含方案）', en: 'Showing: baseline (no scenario)' },
  scenarioResult: { zh: '显示方案', en: 'Showing scenario' },
  residents: { zh: '居民', en: 'Residents' },
  reachGreen: { zh: '见绿', en: 'Reach green' },
  reachPark: { zh: '见园', en: 'Reach a park' },
  reachBoth: { zh: '两项均达标', en: 'Meet both' },
  uncovered: { zh: '未覆盖居民', en: 'Uncovered residents' },
  cells: { zh: '网格', en: 'cells' },
  communities: { zh: '社区', en: 'Communities' },
  showAllRows: { zh: '显示全部 {count} 个社区', en: 'Show all {count} communities' },
  community: { zh: '社区', en: 'Community' },
  subdistrict: { zh: '街道', en: 'Sub-district' },
  population: { zh: '人口', en: 'Population' },
  coverageRate: { zh: '覆盖率', en: 'Coverage rate' },
  gaps: { zh: '缺口区域', en: 'Gap areas' },
  gapsHelp: {
    zh: '相连的未达标居住网格（8邻接），按居民数排序。',
    en: 'Connected residential cells that miss a rule (8-connected), most residents first.',
  },
  gapArea: { zh: '缺口', en: 'Gap' },
  nearestPark: { zh: '最近公园', en: 'Nearest park' },
  nearestGreen: { zh: '最近绿地', en: 'Nearest green' },
  beyond: { zh: '超过', en: 'beyond' },
  computing: { zh: '计算中', en: 'Computing' },
  loading: { zh: '加载数据', en: 'Loading data' },
  drawing: { zh: '绘制中', en: 'Drawing' },
  ready: { zh: '完成', en: 'Done' },
  error: { zh: '出错', en: 'Error' },
  phase_prepare: { zh: '准备', en: 'preparing' },
  phase_residential: { zh: '居住用地', en: 'residential land' },
  phase_communities: { zh: '社区', en: 'communities' },
  phase_green: { zh: '见绿距离', en: 'green distances' },
  phase_park: { zh: '见园距离', en: 'park distances' },
  clear: { zh: '取消选择', en: 'Clear selection' },
  zoomTo: { zh: '缩放到', en: 'Zoom to' },
  cell: { zh: '网格', en: 'Cell' },
  toGreen: { zh: '到绿地', en: 'to green' },
  toPark: { zh: '到公园', en: 'to a park' },
  hoverHelp: {
    zh: '将鼠标移到网格或绿地上（或点击），查看距离或名称。',
    en: 'Hover or tap a cell to see its distances, or a green space for its name.',
  },
  copyLink: { zh: '复制链接', en: 'Copy link' },
  copied: { zh: '已复制', en: 'Copied' },
  outside: { zh: '社区外', en: 'outside communities' },
  kind_park: { zh: '公园', en: 'park' },
  kind_pocket_park: { zh: '小游园', en: 'pocket park' },
  kind_micro_green: { zh: '微绿地', en: 'micro-green space' },
  kind_green_space: { zh: '绿地', en: 'green space' },
  kind_greenway: { zh: '绿道', en: 'greenway' },
  of: { zh: '/', en: 'of' },
  selected: { zh: '所选社区', en: 'Selected community' },
  unknown: { zh: '未知', en: 'unknown' },
  skipped: { zh: '跳过的要素', en: 'Skipped features' },
} as const;

export type MessageKey = keyof typeof messages;

/** The text of `key` in `language`. */
export function t(language: Language, key: MessageKey): string {
  return messages[key][language];
}

/** Whether `key` is a message key (for keys built at run time such as `kind_${kind}`). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(messages, key);
}

/** A feature kind in words. */
export function kindLabel(language: Language, kind: string): string {
  const key = `kind_${kind}`;
  return isMessageKey(key) ? t(language, key) : kind;
}

/** A whole number with thousands separators. */
export function formatCount(language: Language, value: number | null): string {
  return value === null ? '—' : countFormats[language].format(Math.round(value));
}

/** One formatter per language: `toLocaleString` builds a new one on every call (milliseconds each). */
const countFormats: Record<Language, Intl.NumberFormat> = {
  zh: new Intl.NumberFormat('zh-CN'),
  en: new Intl.NumberFormat('en-GB'),
};

/** A share as a percentage with one decimal. */
export function formatShare(value: number | null): string {
  return value === null ? '—' : `${(value * 100).toFixed(1)}%`;
}

/** A distance in metres; `Infinity` reads "beyond <reach> m". */
export function formatMeters(_language: Language, value: number | null, reach: number | null): string {
  if (value === null) return '—';
  if (!Number.isFinite(value)) return reach === null ? '—' : `> ${reach} m`;
  return `${Math.round(value)} m`;
}
