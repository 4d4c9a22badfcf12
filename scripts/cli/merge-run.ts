/**
 * `--merge DIR… --out DIR`: one summary.json adding up the parts' summaries (a national run as many city
 * jobs); the folder is checked first and the file written whole or not at all.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mergeSummaries } from './merge-summaries';
import { UsageError } from './number-options';
import { checkOutputFolder } from './output-folder';

/** Reads each folder's summary.json, writes their sum to `out`/summary.json and says what it added up. */
export function mergeRun(folders: string[], out: string): void {
  checkOutputFolder(out);
  const parts = folders.map((folder) => {
    const path = join(folder, 'summary.json');
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      throw new UsageError(`--merge ${folder}: no summary.json there`);
    }
    try {
      return { name: folder, summary: JSON.parse(text) };
    } catch {
      throw new UsageError(`${path}: not JSON`);
    }
  });
  const merged = mergeSummaries(parts);
  const temporary = join(out, `.greenreach-${process.pid}-summary.json`);
  writeFileSync(temporary, `${JSON.stringify(merged, null, 2)}\n`);
  renameSync(temporary, join(out, 'summary.json'));
  const residents =
    merged.population === null
      ? ''
      : `; ${merged.population} residents, meeting both ${merged.population_meeting_both} (${(merged.population_sources as string[]).join(', ')})`;
  process.stdout.write(
    `merged ${parts.length} summaries: ${merged.cells} residential cells, meeting both ${merged.cells_meeting_both}${residents}; wrote ${join(out, 'summary.json')}\n`,
  );
}
