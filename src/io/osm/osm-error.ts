import { InputError } from '../../coverage/input-error';

/**
 * Stable codes of the problems an OSM extract can have. The UI translates by code; `en` and `zh` are
 * ready-made texts for the CLI and logs.
 */
export type OsmErrorCode =
  | 'osm.empty'
  | 'osm.unknown-format'
  /** A .bz2 that ends before its last block or end-of-stream marker. */
  | 'osm.bzip2-truncated'
  /** A .bz2 block that fails its CRC check or cannot be decoded. */
  | 'osm.bzip2-corrupt'
  | 'osm.gzip-corrupt'
  | 'osm.pbf-truncated'
  | 'osm.pbf-corrupt'
  | 'osm.pbf-unsupported-compression'
  | 'osm.pbf-unsupported-feature'
  | 'osm.xml-malformed'
  | 'osm.json-malformed'
  | 'osm.missing-node'
  | 'osm.relation-loop'
  | 'osm.no-data'
  /** More than a browser tab can parse: the CLI can. */
  | 'osm.too-large'
  /** Anything else that stopped the read (the message says what). */
  | 'osm.failed';

/** A translatable message: a stable code plus the English and Chinese texts. */
export interface OsmMessage {
  code: OsmErrorCode;
  en: string;
  zh: string;
}

/**
 * A fatal problem with an OSM file. It is an InputError (message `<file>: <en>`, as every input problem),
 * and carries `code`, `en` and `zh` so the app can show the problem in the interface language.
 */
export class OsmError extends InputError implements OsmMessage {
  declare readonly code: OsmErrorCode;

  constructor(
    fileName: string,
    code: OsmErrorCode,
    readonly en: string,
    readonly zh: string,
  ) {
    super(fileName, null, en, { code });
    this.name = 'OsmError';
  }

  /** The message in one language, with the file name in front. */
  text(language: 'en' | 'zh'): string {
    return `${this.fileName}: ${language === 'zh' ? this.zh : this.en}`;
  }
}

/** Throws `signal.reason` (an AbortError by default) when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new DOMException('The OSM read was cancelled', 'AbortError');
}
