import type { Language } from '../state/url-state';

/** Interface text of scenario editing, in Chinese and English (kept apart from i18n.ts). */
const messages = {
  scenario: { zh: '规划方案', en: 'Scenario' },
  toolPan: { zh: '平移', en: 'Pan' },
  toolSelect: { zh: '选择/移动', en: 'Select / move' },
  toolPark: { zh: '新增口袋公园', en: 'New pocket park' },
  toolGreenway: { zh: '新增绿道', en: 'New greenway' },
  parkHelp: {
    zh: '点击放置口袋公园（{area} 平方米），或拖出矩形',
    en: 'Click to place a pocket park ({area} m²), or drag a rectangle',
  },
  greenwayHelp: { zh: '逐点点击，双击或回车结束', en: 'Click points; double-click or Enter to finish' },
  finish: { zh: '完成绿道', en: 'Finish greenway' },
  delete: { zh: '删除', en: 'Delete' },
  undo: { zh: '撤销', en: 'Undo' },
  redo: { zh: '重做', en: 'Redo' },
  name: { zh: '名称', en: 'Name' },
  kind: { zh: '类型', en: 'Kind' },
  features: { zh: '新增要素', en: 'New features' },
  change: { zh: '相对现状的变化', en: 'Change vs baseline' },
  newResidents: { zh: '新增达标居民', en: 'Residents newly covered' },
  newCells: { zh: '新增达标网格', en: 'Cells newly covered' },
  changedCells: { zh: '变化网格（蓝色描边）', en: 'Changed cells (blue outline)' },
  showBaseline: { zh: '显示现状（对比）', en: 'Show baseline (before/after)' },
  confirmDelete: { zh: '删除方案“{name}”？', en: 'Delete scenario “{name}”?' },
  editTime: { zh: '单次更新计算耗时', en: 'Engine time per edit' },
  pending: { zh: '计算中…', en: 'updating…' },
  byCommunity: { zh: '各社区变化', en: 'By community' },
  community: { zh: '社区', en: 'Community' },
  scenarios: { zh: '方案比较', en: 'Compare scenarios' },
  baseline: { zh: '现状', en: 'Baseline' },
  newScenario: { zh: '新建方案', en: 'New scenario' },
  deleteScenario: { zh: '删除方案', en: 'Delete scenario' },
  residentsBoth: { zh: '见绿且见园居民', en: 'Residents meeting both' },
  cellsBoth: { zh: '达标网格', en: 'Cells meeting both' },
  gain: { zh: '增量', en: 'Gain' },
  otherRules: { zh: '规则不同，需重新打开', en: 'other rules: open to update' },
  suggest: { zh: '建议选址', en: 'Suggest sites' },
  suggestN: { zh: '建议 N 处', en: 'Suggest N sites' },
  cancel: { zh: '取消', en: 'Cancel' },
  accept: { zh: '采纳', en: 'Accept' },
  accepted: { zh: '已采纳', en: 'Accepted' },
  rank: { zh: '序', en: '#' },
  greedyNote: {
    zh: '贪心最大覆盖：逐个选取边际增益最大的选址，结果不低于最优方案的 1 − 1/e（约 63%）。增益为依次采纳时的边际值。',
    en: 'Greedy maximum coverage: each pick has the largest marginal gain; the set is within 1 − 1/e (≈ 63%) of the optimum. Gains are marginal, given the sites ranked before.',
  },
  candidates: { zh: '候选点', en: 'candidates' },
  export: { zh: '导出', en: 'Export' },
  exportGeoJson: { zh: '新增要素 GeoJSON', en: 'New features (GeoJSON)' },
  exportCsv: { zh: '指标 CSV', en: 'Figures (CSV)' },
  city: { zh: '全区', en: 'District' },
  reshapeHelp: {
    zh: '拖动顶点改变形状，拖动边中点增加顶点；双击（触屏：双击或长按）顶点将其删除。',
    en: 'Drag a vertex to reshape, drag a midpoint to add a vertex; double-click (touch: double-tap or long-press) a vertex to delete it.',
  },
  vertexOf: { zh: '顶点 {n} / {count}', en: 'Vertex {n} of {count}' },
  deleteVertex: { zh: '删除顶点', en: 'Delete vertex' },
  minimumRing: { zh: '多边形至少保留 3 个顶点', en: 'A polygon keeps at least 3 vertices' },
  minimumLine: { zh: '绿道至少保留 2 个顶点', en: 'A greenway keeps at least 2 vertices' },
  candidateSource: { zh: '候选位置', en: 'Candidates' },
  sourceLand: { zh: '非居住用地（默认）', en: 'Non-residential land (default)' },
  sourceLayer: { zh: '导入的图层', en: 'An imported layer' },
  candidateFile: {
    zh: '候选图层文件（点或面：GeoJSON、FlatGeobuf）',
    en: 'Candidate layer file (points or polygons: GeoJSON, FlatGeobuf)',
  },
  candidateSummary: {
    zh: '{file}：{points} 个点，{polygons} 个面',
    en: '{file}: {points} points, {polygons} polygons',
  },
  candidateSkipped: { zh: '{count} 个要素无几何，已略过', en: '{count} features without geometry left out' },
  candidateOutside: { zh: '{count} 个位于研究范围之外', en: '{count} outside the study area' },
  candidateReading: { zh: '正在读取…', en: 'reading…' },
  candidateClear: { zh: '移除图层', en: 'Remove layer' },
  chooseCandidateFile: { zh: '请先选择候选图层文件', en: 'Choose a candidate layer file first' },
  fromLayer: { zh: '来自 {file}', en: 'from {file}' },
  parcelsSkipped: {
    zh: '{count} 个候选小于 {area} 平方米或无几何，已略过',
    en: '{count} candidates smaller than {area} m² or without geometry skipped',
  },
  noFeatures: {
    zh: '尚无新增要素：选择工具后在地图上绘制。',
    en: 'No new features yet: pick a tool and draw on the map.',
  },
} satisfies Record<string, { zh: string; en: string }>;

export type ScenarioMessageKey = keyof typeof messages;

export function st(language: Language, key: ScenarioMessageKey, values: Record<string, string | number> = {}): string {
  return messages[key][language].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));
}
