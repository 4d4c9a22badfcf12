/**
 * What the coverage CLI tells the user: the progress line on a terminal's stderr and the run's
 * one-line description (and the suggestions') on stdout.
 */
import type { CoverageResult } from '../../src/coverage';
import type { SuggestResult } from '../../src/coverage/suggest';

/** Overwrites the progress line; only on a terminal, so logs and pipes get no carriage returns. */
export function progressLine(text: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r${text.padEnd(40)}`);
}

/** The run's figures, where it wrote them and how long it took since `started` (a `performance.now()`). */
export function describeRun(result: CoverageResult, cellMeters: number, outDirectory: string, started: number): string {
  const city = result.summary.city;
  const walk = result.summary.network
    ? ` on foot (${result.summary.cellsMeetingBothStraight} both in a straight line; ${result.summary.network.cellsOffNetwork} off the network)`
    : '';
  return `${city.cells} residential cells of ${cellMeters} m; meeting green ${city.cellsMeetingGreen ?? '—'}, park ${city.cellsMeetingPark ?? '—'}, both ${city.cellsMeetingBoth}${walk}; wrote ${outDirectory} in ${Math.round(performance.now() - started)} ms`;
}

/** The suggested sites' gain, and a warning for each site on homes. */
export function describeSuggestions(suggestions: SuggestResult): string {
  const { sites, before, after } = suggestions;
  if (sites.length === 0) {
    return `suggested no sites: ${suggestions.candidateCount} candidates, none would bring a home within reach of every rule`;
  }
  const residents =
    after.populationMeetingBoth === null
      ? ''
      : `, ${Math.round((after.populationMeetingBoth - before.populationMeetingBoth!) * 10) / 10} residents`;
  // A park on housing displaces people: say which sites sit on homes.
  const onHomes = sites
    .filter((site) => site.residentialCellsOnSite > 0)
    .map(
      (site) =>
        `\nwarning: site ${site.rank} sits on ${site.residentialCellsOnSite} residential cells${site.residentsOnSite === null ? '' : ` (≈ ${Math.round(site.residentsOnSite)} residents)`}`,
    );
  return `suggested ${sites.length} sites of ${suggestions.site.areaSquareMeters} m² (${suggestions.site.kind}) from ${suggestions.candidateCount} candidates: +${after.cellsMeetingBoth - before.cellsMeetingBoth} cells${residents} meeting both; wrote suggestions.geojson${onHomes.join('')}`;
}

/** A file size in whole MB, rounded up, with thousands separators. */
export function megabytes(bytes: number): string {
  return Math.ceil(bytes / 2 ** 20).toLocaleString('en-US');
}
