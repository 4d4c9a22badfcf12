import { presets } from '../coverage';
import type { PlannerApp } from '../state/planner-app';
import type { RuleNumberKey } from '../state/rule-editing';
import { type MessageKey, t } from './i18n';
import { useStore } from './use-store';

const fields: { key: RuleNumberKey; label: MessageKey; min: number; max: number; step: number }[] = [
  { key: 'greenRadiusMeters', label: 'greenRadius', min: 1, max: 5000, step: 10 },
  { key: 'greenMinimumAreaSquareMeters', label: 'greenArea', min: 0, max: 1e9, step: 100 },
  { key: 'parkRadiusMeters', label: 'parkRadius', min: 1, max: 5000, step: 10 },
  { key: 'parkMinimumAreaSquareMeters', label: 'parkArea', min: 0, max: 1e9, step: 100 },
];

/** Preset selector and the editable numbers; every change recomputes (cancelling a run in flight). */
export function RulesPanel({ app }: { app: PlannerApp }) {
  const language = useStore(app.store, (state) => state.language);
  const presetId = useStore(app.store, (state) => state.presetId);
  const numbers = useStore(app.store, (state) => state.numbers);
  const cellMeters = useStore(app.store, (state) => state.cellMeters);
  const ruleError = useStore(app.store, (state) => state.ruleError);
  // The distances measured: the largest radius in force plus the rules' margin.
  const reach = useStore(
    app.store,
    (state) =>
      Math.max(state.rules.green?.radiusMeters ?? 0, state.rules.park?.radiusMeters ?? 0) +
      state.rules.reachMarginMeters,
  );
  const hasStreets = useStore(app.store, (state) => (state.data?.streets?.features.length ?? 0) > 0);
  const commit = (key: RuleNumberKey, input: HTMLInputElement) => {
    const value = input.valueAsNumber;
    if (Number.isFinite(value) && value !== numbers[key]) app.setRuleNumber(key, value);
  };
  return (
    <section class="panel" aria-labelledby="rules-heading">
      <h2 id="rules-heading">{t(language, 'rules')}</h2>
      <label class="field">
        <span>{t(language, 'preset')}</span>
        <select
          data-testid="preset"
          title={presets[presetId]?.name[language]}
          value={presetId}
          onChange={(event) => app.setPreset((event.currentTarget as HTMLSelectElement).value)}
        >
          {Object.values(presets).map((preset) => (
            <option key={preset.id} value={preset.id}>
              {preset.name[language]}
            </option>
          ))}
        </select>
        {/* A native select cannot wrap: a long standard's name would be cut off, so it is also said in full. */}
        <small class="field-note" data-testid="preset-name">
          {presets[presetId]?.name[language]}
        </small>
      </label>
      <fieldset class="distance-mode" data-testid="distance-mode">
        <legend>{t(language, 'distanceMode')}</legend>
        {(['straight', 'network'] as const).map((mode) => (
          <label key={mode}>
            <input
              type="radio"
              name="distance-mode"
              value={mode}
              data-testid={`distance-${mode}`}
              checked={numbers.distance === mode}
              disabled={mode === 'network' && !hasStreets}
              onChange={() => app.setDistance(mode)}
            />{' '}
            {t(language, mode === 'network' ? 'distanceNetwork' : 'distanceStraight')}
          </label>
        ))}
        {!hasStreets && <p class="muted small">{t(language, 'distanceNeedsStreets')}</p>}
      </fieldset>
      <div class="rule-grid">
        {fields.map(({ key, label, min, max, step }) => (
          <div class="field" key={key}>
            <label for={`rule-${key}`}>{t(language, label)}</label>
            {numbers[key] === null ? (
              <input id={`rule-${key}`} type="text" disabled value={t(language, 'notUsed')} />
            ) : (
              <input
                id={`rule-${key}`}
                type="number"
                data-testid={key}
                min={min}
                max={max}
                step={step}
                value={numbers[key]!}
                onChange={(event) => commit(key, event.currentTarget as HTMLInputElement)}
              />
            )}
          </div>
        ))}
        <label class="field">
          <span>{t(language, 'reachMeters')}</span>
          <input
            type="number"
            data-testid="reachMeters"
            min={100}
            max={10000}
            step={100}
            value={reach}
            title={t(language, 'reachHelp')}
            onChange={(event) => {
              const value = (event.currentTarget as HTMLInputElement).valueAsNumber;
              if (Number.isFinite(value) && value !== reach) app.setRuleNumber('reachMeters', value);
            }}
          />
        </label>
        <label class="field">
          <span>{t(language, 'cellMeters')}</span>
          <input
            type="number"
            data-testid="cellMeters"
            min={10}
            max={500}
            step={5}
            value={cellMeters}
            onChange={(event) => {
              const value = (event.currentTarget as HTMLInputElement).valueAsNumber;
              if (Number.isFinite(value) && value !== cellMeters) app.setCellMeters(value);
            }}
          />
        </label>
      </div>
      {ruleError && (
        <p class="error" role="alert">
          {ruleError}
        </p>
      )}
    </section>
  );
}
