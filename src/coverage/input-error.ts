/**
 * The one error type for problems with the input, from the format drivers (`src/io`) and the engine
 * alike, on one line: `city.geojson: feature 12: coordinates[0][3] is …`.
 *
 * - `fileName` names the file; the engine does not know files, so its errors name the layer instead
 *   (`greenways: feature 3: …`, made with {@link InputError.inLayer}) and a caller that knows the file
 *   renames them with {@link InputError.inFile}.
 * - `featureIndex` is the 0-based position of the feature in the file (or in the collection the engine
 *   was given), or null for a problem with the whole file.
 * - `layer` is the layer's role when known (`communities`, `greenways`, …, `candidates`), else null.
 * - `code` is a stable identifier of the kind of problem, for translated messages; `problem` stays the
 *   English detail.
 * - {@link InputError.toJSON} / {@link InputError.fromJSON} carry it across a worker boundary (a
 *   structured clone keeps no class).
 */

export type InputErrorCode =
  /** The file is empty or holds no features. */
  | 'empty'
  /** The file is over a size limit. */
  | 'too-large'
  /** Not a format we read (or a part of one, like a lone .shp). */
  | 'unsupported-format'
  /** The file is damaged: bad JSON, a corrupt header, a truncated feature, a broken zip. */
  | 'corrupt'
  /** The coordinate system: unknown, unconvertible, or numbers that are not longitude/latitude. */
  | 'crs'
  /** A coordinate is not a finite number or not a longitude/latitude. */
  | 'coordinates'
  /** A geometry the layer cannot use (a Point among parks), or not a GeoJSON Feature at all. */
  | 'geometry'
  /** An attribute the layer needs is missing or has a value it cannot use (e.g. an unknown `kind`). */
  | 'attribute'
  /** Any other problem with the input. */
  | 'invalid'
  /** A format driver's own finer code, prefixed by the format (e.g. `osm.pbf-truncated`). */
  | `${string}.${string}`;

/** An InputError as plain data (what {@link InputError.toJSON} returns and a worker posts). */
export interface InputErrorJSON {
  name: 'InputError';
  message: string;
  fileName: string;
  featureIndex: number | null;
  layer: string | null;
  problem: string;
  code: InputErrorCode;
  /** Numbers and words a translated message needs (e.g. `cells`, `limit`), by name; absent when none. */
  values?: Record<string, number | string>;
}

export interface InputErrorDetails {
  layer?: string | null;
  code?: InputErrorCode;
  values?: Record<string, number | string>;
}

export class InputError extends Error {
  readonly layer: string | null;
  readonly code: InputErrorCode;
  /** Numbers and words for a translated message of this `code` (see {@link InputErrorJSON.values}). */
  readonly values: Record<string, number | string> | null;

  constructor(
    readonly fileName: string,
    readonly featureIndex: number | null,
    readonly problem: string,
    details: InputErrorDetails = {},
  ) {
    super(featureIndex === null ? `${fileName}: ${problem}` : `${fileName}: feature ${featureIndex}: ${problem}`);
    this.name = 'InputError';
    this.layer = details.layer ?? null;
    this.code = details.code ?? 'invalid';
    this.values = details.values ?? null;
  }

  /** An engine error: the layer's name stands for the file until a caller knows it ({@link inFile}). */
  static inLayer(
    layer: string,
    featureIndex: number | null,
    problem: string,
    code: InputErrorCode = 'invalid',
  ): InputError {
    return new InputError(layer, featureIndex, problem, { layer, code });
  }

  /**
   * The same problem named after the file that holds the layer. `sourceIndex` maps the index of a
   * feature in the collection the error speaks of to its position in the file (e.g. a read layer's
   * `sourceIndex`, after skipped features); an index it does not cover is kept.
   */
  inFile(fileName: string, sourceIndex?: readonly number[]): InputError {
    const featureIndex =
      this.featureIndex !== null && sourceIndex
        ? (sourceIndex[this.featureIndex] ?? this.featureIndex)
        : this.featureIndex;
    return new InputError(fileName, featureIndex, this.problem, {
      layer: this.layer,
      code: this.code,
      ...(this.values ? { values: this.values } : {}),
    });
  }

  toJSON(): InputErrorJSON {
    return {
      name: 'InputError',
      message: this.message,
      fileName: this.fileName,
      featureIndex: this.featureIndex,
      layer: this.layer,
      problem: this.problem,
      code: this.code,
      ...(this.values ? { values: { ...this.values } } : {}),
    };
  }

  /** Rebuilds an error from {@link toJSON}'s data; `layer` and `code` may be missing (older senders). */
  static fromJSON(
    json: Pick<InputErrorJSON, 'fileName' | 'featureIndex' | 'problem'> & Partial<InputErrorJSON>,
  ): InputError {
    return new InputError(json.fileName, json.featureIndex ?? null, json.problem, {
      layer: json.layer ?? null,
      code: json.code ?? 'invalid',
      ...(json.values && typeof json.values === 'object' ? { values: json.values } : {}),
    });
  }
}
