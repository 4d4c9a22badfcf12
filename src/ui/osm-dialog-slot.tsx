import { useEffect, useState } from 'preact/hooks';
import type { OsmImportController } from '../state/osm-import';
import type { Language } from '../state/url-state';
import { useStore } from './use-store';

type OsmDialog = typeof import('./osm-import-dialog').OsmImportDialog;

/** The OpenStreetMap dialog, loaded the first time an extract is opened (it is not needed before). */
export function OsmDialogSlot({ controller, language }: { controller: OsmImportController; language: Language }) {
  const phase = useStore(controller.store, (state) => state.phase);
  const [Dialog, setDialog] = useState<OsmDialog | null>(null);
  useEffect(() => {
    if (phase === 'idle' || Dialog) return;
    void import('./osm-import-dialog').then((module) => setDialog(() => module.OsmImportDialog));
  }, [phase, Dialog]);
  return Dialog ? <Dialog controller={controller} language={language} /> : null;
}
