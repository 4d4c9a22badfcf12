/** Paper sizes the report prints on. */
export type Paper = 'a4' | 'a3';
export type Orientation = 'landscape' | 'portrait';

/** What `?report` reads beyond the screen state (which `parseScreen` reads as the planner does). */
export interface ReportOptions {
  paper: Paper;
  orientation: Orientation;
}

/** Paper in millimetres (ISO 216), portrait. */
const paperMillimetres: Record<Paper, [number, number]> = { a4: [210, 297], a3: [297, 420] };

/** Page margin in millimetres. */
export const reportMarginMm = 10;

/** The map is rendered at this many dots per inch (print resolution, ≥ 200). */
export const reportDpi = 220;

/** `paper=a4|a3` and `orientation=landscape|portrait` (default A4 landscape). */
export function parseReportOptions(search: string): ReportOptions {
  const params = new URLSearchParams(search);
  const paper = params.get('paper')?.toLowerCase();
  const orientation = params.get('orientation')?.toLowerCase();
  return {
    paper: paper === 'a3' ? 'a3' : 'a4',
    orientation: orientation === 'portrait' ? 'portrait' : 'landscape',
  };
}

/** The page, its printable area and the map frame, in millimetres, and the map's device pixels per CSS pixel. */
export interface ReportLayout {
  pageMm: [number, number];
  contentMm: [number, number];
  mapMm: [number, number];
  /** Device pixels per CSS pixel that give `reportDpi` on paper (a CSS pixel is 1/96 inch). */
  pixelRatio: number;
  /** The map's size in device pixels. */
  mapPixels: [number, number];
}

/**
 * The page layout of the report: landscape puts a side column (legend, figures) of 85 mm beside the
 * map; portrait puts the map over them (square, or 62 % of the height at most).
 */
export function reportLayout(options: ReportOptions): ReportLayout {
  const [short, long] = paperMillimetres[options.paper];
  const pageMm: [number, number] = options.orientation === 'landscape' ? [long, short] : [short, long];
  const contentMm: [number, number] = [pageMm[0] - 2 * reportMarginMm, pageMm[1] - 2 * reportMarginMm];
  // Leave 38 mm for the title block and a footer line.
  const mapMm: [number, number] =
    options.orientation === 'landscape'
      ? [contentMm[0] - 85, contentMm[1] - 38]
      : [contentMm[0], Math.round(Math.min(contentMm[0], contentMm[1] * 0.62))];
  const pixelRatio = reportDpi / 96;
  const mapPixels: [number, number] = [
    Math.round((mapMm[0] / 25.4) * reportDpi),
    Math.round((mapMm[1] / 25.4) * reportDpi),
  ];
  return { pageMm, contentMm, mapMm, pixelRatio, mapPixels };
}

/** A round scale-bar length (1, 2 or 5 × 10ⁿ m) of at most `maxMeters`. */
export function scaleBarMeters(maxMeters: number): number {
  if (!(maxMeters > 0) || !Number.isFinite(maxMeters)) return 0;
  const power = 10 ** Math.floor(Math.log10(maxMeters));
  return [5, 2, 1].map((m) => m * power).find((value) => value <= maxMeters) ?? power;
}
