import type { ReportOptions } from './report-options';

/** Whether the URL asks for the printable report (`?report`, with any other screen keys). */
export function isReport(search: string): boolean {
  return new URLSearchParams(search).has('report');
}

/** The planner URL's search with `report` (and paper, orientation, community) set: the report of that screen. */
export function reportSearch(
  screenSearch: string,
  options: Partial<ReportOptions> & { community?: number | null } = {},
): string {
  const params = new URLSearchParams(screenSearch);
  params.delete('report');
  if (options.paper) params.set('paper', options.paper);
  if (options.orientation) params.set('orientation', options.orientation);
  if (options.community !== undefined) {
    if (options.community === null) params.delete('community');
    else params.set('community', String(options.community));
  }
  const rest = params.toString();
  return `?report${rest ? `&${rest}` : ''}`;
}
