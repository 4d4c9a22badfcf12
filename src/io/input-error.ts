/**
 * A problem with an input file, on one line: `city.geojson: feature 12: coordinates[0][3] is …`.
 * `featureIndex` is the 0-based position of the feature in the file, or null for a file-level problem.
 */
export class FileError extends Error {
  constructor(
    readonly fileName: string,
    readonly featureIndex: number | null,
    readonly problem: string,
  ) {
    super(featureIndex === null ? `${fileName}: ${problem}` : `${fileName}: feature ${featureIndex}: ${problem}`);
    this.name = 'FileError';
  }
}
