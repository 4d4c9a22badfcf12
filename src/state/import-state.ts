import type { FeatureCollection } from 'geojson';
import type { ImportProblem } from '../worker/import-client';
import type { ImportedRead } from '../worker/import-protocol';
import type { AttributeMapping, ImportRole, RoleReason } from './import-layers';
import type { ExtentCheck, ExtentReference } from './layer-extent';

/** The state of the import controller (src/state/import-controller.ts): the dialog, the layers in use. */

/** The file the role dialog is about. */
export interface PendingImport {
  file: File;
  /** The file read without a role (for the preview and guesses), or null while reading / on error. */
  read: ImportedRead | null;
  /** Why the file could not be read as it is (e.g. projected coordinates with no CRS). */
  error: ImportProblem | null;
  role: ImportRole;
  /** The role the file's content suggested and why (shown in the dialog), or null before reading. */
  guess: { role: ImportRole; reasons: RoleReason[] } | null;
  mapping: AttributeMapping;
  attributes: string[];
  preview: string[];
  /** A coordinate system chosen by the planner ("EPSG:4544"), or "" for the file's own. */
  crs: string;
  gcj02: boolean;
  busy: boolean;
  /**
   * Set when the confirmed layer does not lie (wholly) where the layers it is measured against lie:
   * the dialog then asks to use it anyway, to replace the other layers, or to cancel.
   */
  extent: { check: ExtentCheck; reference: ExtentReference } | null;
}

/** What to do with a layer lying elsewhere: use it as it is, or use it and drop the layers elsewhere. */
export type ExtentChoice = 'useAnyway' | 'replaceOthers';

/** A layer of the planner's own in use. */
export interface ImportedLayer {
  role: ImportRole;
  source: string;
  featureCount: number;
  skippedCount: number;
  warnings: string[];
  /** The layer could not be saved (e.g. too large for IndexedDB): it will not survive a reload. */
  notKept?: boolean;
}

export interface ImportState {
  pending: PendingImport | null;
  queue: File[];
  imported: ImportedLayer[];
  errors: ImportProblem[];
  /** What is being read right now (a file name), for the status line. */
  reading: string | null;
  /** URL layers still loading after start-up (the app runs on the other layers meanwhile). */
  loadingUrls: string[];
  /** URL layers that failed, with their role, for a retry. */
  failedUrls: { url: string; role: ImportRole }[];
  /**
   * Layers the page's link says were imported (`?imported=`) that this browser does not hold: the
   * figures are then the data set's own, and the import panel says so.
   */
  linkedLayersMissing: ImportRole[];
}

/** How a URL layer ended: its features, or why not. */
export type UrlOutcome = { collection: FeatureCollection } | { error: unknown };

/** Resolves after `ms`. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
