import { useState } from 'preact/hooks';
import type { PlannerApp } from '../state/planner-app';
import type { ProjectController } from '../state/project-controller';
import { download } from './export-panel';
import { t } from './i18n';
import { useStore } from './use-store';
import './messages-later';

/** Save the whole working state as one project file, or open one a colleague sent. */
export function ProjectPanel({ app, project }: { app: PlannerApp; project: ProjectController }) {
  const language = useStore(app.store, (state) => state.language);
  const ready = useStore(app.store, (state) => state.data !== null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const run = async (work: () => Promise<string>) => {
    setBusy(true);
    setMessage(null);
    try {
      setMessage({ text: await work(), error: false });
    } catch (caught) {
      setMessage({ text: caught instanceof Error ? caught.message : String(caught), error: true });
    } finally {
      setBusy(false);
    }
  };
  const save = () =>
    run(async () => {
      download(await project.save(), `greenreach-project-${new Date().toISOString().slice(0, 10)}.zip`);
      return t(language, 'projectSaved');
    });
  const open = (file: File) =>
    run(async () => {
      const opened = await project.open(file);
      const text = t(language, 'projectOpened', {
        file: file.name,
        layers: opened.layers,
        scenarios: opened.scenarios,
      });
      const pick = opened.basemapToPick;
      if (!pick) return text;
      const megabytes = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
      return `${text} ${t(language, 'projectBasemapToPick', {
        name: pick.name,
        size: megabytes(pick.bytes),
        limit: megabytes(pick.limitBytes),
      })}`;
    });
  return (
    <section class="panel" aria-labelledby="project-heading" data-testid="project-panel">
      <h2 id="project-heading">{t(language, 'project')}</h2>
      <p class="muted small">{t(language, 'projectHelp')}</p>
      <div class="export-buttons">
        <button type="button" disabled={!ready || busy} onClick={() => void save()} data-testid="project-save">
          {t(language, 'projectSave')}
        </button>
        <label class="file-button">
          <span>{t(language, 'projectOpen')}</span>
          <input
            type="file"
            accept=".zip,application/zip"
            disabled={busy}
            data-testid="project-open"
            onChange={(event) => {
              const input = event.currentTarget as HTMLInputElement;
              const file = input.files?.[0];
              input.value = '';
              if (file) void open(file);
            }}
          />
        </label>
      </div>
      {message && (
        <p
          class={message.error ? 'error' : 'muted small'}
          role={message.error ? 'alert' : 'status'}
          data-testid="project-message"
        >
          {message.text}
        </p>
      )}
    </section>
  );
}
