import type { CoverageResult } from '../coverage';
import type { Language } from '../state/url-state';
import { formatCount, t } from './i18n';

/**
 * Where the residents of a result come from, in one line under its figures: the planner's population
 * layer (named, with the buildings whose floor area spread it and the residents that landed on no
 * residential cell), the residential land's or the communities' counts, or none ("no population given":
 * the shares are then of residential cells, and no resident is invented).
 */
export function PopulationSource({
  result,
  layerName,
  language,
}: {
  result: CoverageResult;
  layerName: string | null;
  language: Language;
}) {
  const source = result.populationSource;
  const buildings = result.populationBuildings ?? 0;
  const unplaced = result.populationUnplaced ?? 0;
  const text =
    source === 'population'
      ? t(language, buildings > 0 ? 'populationFromLayer' : 'populationFromLayerByArea', {
          name: layerName ?? t(language, 'role_population'),
          buildings: formatCount(language, buildings),
        })
      : source === 'residential'
        ? t(language, 'populationFromResidential')
        : source === 'communities'
          ? t(language, 'populationFromCommunities')
          : t(language, 'populationNone');
  return (
    <p class="muted small" data-testid="population-source" data-source={source ?? 'none'}>
      {text}
      {source === 'population' && unplaced > 0 && (
        <span data-testid="population-unplaced" data-unplaced={unplaced}>
          {' '}
          {t(language, 'populationUnplaced', { count: formatCount(language, unplaced) })}
        </span>
      )}
    </p>
  );
}
