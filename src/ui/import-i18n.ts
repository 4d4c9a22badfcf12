import type { Language } from '../state/url-state';

/** Interface text of import and export (zh / en), kept beside the shared table in i18n.ts. */
const messages = {
  importHeading: { zh: '导入图层', en: 'Import layers' },
  importHelp: {
    zh: '拖放或选择文件：GeoJSON、FlatGeobuf、Shapefile（.zip）、点位 CSV。',
    en: 'Drop or choose files: GeoJSON, FlatGeobuf, zipped Shapefile, CSV of points.',
  },
  chooseFiles: { zh: '选择文件…', en: 'Choose files…' },
  dropHere: { zh: '松开以导入', en: 'Drop to import' },
  reading: { zh: '正在读取', en: 'Reading' },
  role: { zh: '用途', en: 'Role' },
  role_communities: { zh: '社区边界', en: 'Communities' },
  role_residential: { zh: '居住用地', en: 'Residential land' },
  role_greenways: { zh: '绿道', en: 'Greenways' },
  role_greenspaces: { zh: '绿地与公园', en: 'Green spaces and parks' },
  mapping: { zh: '属性对应', en: 'Attribute mapping' },
  field_name: { zh: '名称', en: 'Name' },
  field_name_en: { zh: '英文名称', en: 'English name' },
  field_population: { zh: '人口', en: 'Population' },
  field_kind: { zh: '类型（公园/小游园/微绿地/绿地）', en: 'Kind (park / pocket park / micro-green / green space)' },
  none: { zh: '（无）', en: '(none)' },
  preview: { zh: '前几个要素', en: 'First features' },
  crs: { zh: '坐标系', en: 'Coordinate system' },
  crsDetected: { zh: '文件中的坐标系', en: 'From the file' },
  crsChoose: { zh: '指定坐标系（如 EPSG:4544）', en: 'Use this system instead (e.g. EPSG:4544)' },
  gcj02: {
    zh: '坐标来自中国网络地图（GCJ-02），转换为 WGS84',
    en: 'Coordinates come from a Chinese web map (GCJ-02): convert to WGS84',
  },
  gcj02Help: {
    zh: 'GCJ-02（“火星坐标”）是中国网络地图（高德、腾讯等）使用的加偏坐标系，与 WGS84 相差约 300–500 米。',
    en: 'GCJ-02 ("Mars coordinates") is the obfuscated datum of Chinese web maps (Amap, Tencent, …); it is offset 300–500 m from WGS84.',
  },
  reread: { zh: '重新读取', en: 'Read again' },
  features: { zh: '个要素', en: 'features' },
  skippedCount: { zh: '跳过', en: 'skipped' },
  confirm: { zh: '使用此图层', en: 'Use this layer' },
  cancel: { zh: '取消', en: 'Cancel' },
  importedLayers: { zh: '正在使用的导入图层', en: 'Your layers in use' },
  resetDemo: { zh: '恢复示例数据', en: 'Reset to demo' },
  dismiss: { zh: '关闭', en: 'Dismiss' },
  importFailed: { zh: '导入失败', en: 'Import failed' },
  fromUrl: {
    zh: '从网址加载 FlatGeobuf（仅研究区内要素）',
    en: 'Load FlatGeobuf from a URL (study-area features only)',
  },
  load: { zh: '加载', en: 'Load' },
  userBanner: { zh: '您的数据：', en: 'Your data: ' },
  demoRest: { zh: '其余图层为合成示例数据。', en: 'Other layers are the synthetic demo.' },
  exportHeading: { zh: '导出', en: 'Export' },
  exportHelp: {
    zh: '每个文件都记录了规则与网格大小。',
    en: 'Every file records the rules and the cell size.',
  },
  export_cellsGeojson: { zh: '网格 GeoJSON', en: 'Cells GeoJSON' },
  export_cellsFgb: { zh: '网格 FlatGeobuf', en: 'Cells FlatGeobuf' },
  export_gaps: { zh: '缺口区域 GeoJSON', en: 'Gap areas GeoJSON' },
  export_communitiesGeojson: { zh: '社区统计 GeoJSON', en: 'Community statistics GeoJSON' },
  export_communitiesCsv: { zh: '社区统计 CSV', en: 'Community statistics CSV' },
  export_png: { zh: '地图 PNG', en: 'Map PNG' },
  dataSources: { zh: '数据来源', en: 'Data sources' },
  demoData: { zh: '合成示例数据', en: 'synthetic demo data' },
  scale: { zh: '比例尺', en: 'Scale' },
} as const;

export type ImportMessageKey = keyof typeof messages;

export function ti(language: Language, key: ImportMessageKey): string {
  return messages[key][language];
}
