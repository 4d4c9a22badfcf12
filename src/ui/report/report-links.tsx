import type { PlannerApp } from '../../state/planner-app';
import { reportSearch } from '../../state/report-url';
import { t } from '../i18n';
import { useStore } from '../use-store';
import '../messages-later';

/** Links that open the printable report of the screen (and of the selected community) in a new tab. */
export function ReportLinks({ app }: { app: PlannerApp }) {
  const language = useStore(app.store, (state) => state.language);
  // Re-render with the screen (the link carries it).
  useStore(app.store, (state) => state.view);
  const community = useStore(app.store, (state) => state.selectedCommunity);
  const search = app.screenSearch();
  return (
    <p class="report-links">
      <a href={reportSearch(search, { community: null })} target="_blank" rel="noopener" data-testid="report-link">
        {t(language, 'reportOpen')}
      </a>
      {community !== null && (
        <>
          {' · '}
          <a
            href={reportSearch(search, { community })}
            target="_blank"
            rel="noopener"
            data-testid="report-community-link"
          >
            {t(language, 'reportCommunityPage')}
          </a>
        </>
      )}
    </p>
  );
}
