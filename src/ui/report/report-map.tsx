import { useEffect, useRef } from 'preact/hooks';
import { scaleBarMeters } from '../../state/report-options';
import type { ReportServices } from '../../state/report-services';
import type { Language } from '../../state/url-state';
import { t } from '../i18n';
import { useStore } from '../use-store';
import '../messages-later';

/** CSS pixels per millimetre (a CSS pixel is 1/96 inch). */
const pxPerMm = 96 / 25.4;

/**
 * The report's map frame at its printed size: the live map (built by the root in the element handed
 * over) until its print-resolution image is ready, then the image; a north arrow and a scale bar over it.
 */
export function ReportMap({ services, language }: { services: ReportServices; language: Language }) {
  const live = useRef<HTMLDivElement>(null);
  useEffect(() => {
    services.attachMap(live.current);
    return () => services.attachMap(null);
  }, [services]);
  const image = useStore(services.report, (state) => state.map);
  const [widthMm, heightMm] = services.layout.mapMm;
  return (
    <div class="report-map" style={{ width: `${widthMm}mm`, height: `${heightMm}mm` }} data-testid="report-map">
      <div class="report-map-live" ref={live} />
      {image && (
        <img
          class="report-map-image"
          src={image.url}
          width={image.width}
          height={image.height}
          alt={t(language, 'legend')}
          data-testid="report-map-image"
        />
      )}
      <NorthArrow language={language} />
      {image?.metresPerPixel ? <ScaleBar metresPerPixel={image.metresPerPixel} widthMm={widthMm} /> : null}
    </div>
  );
}

/** A north arrow (the map never rotates: north is up). */
function NorthArrow({ language }: { language: Language }) {
  return (
    <svg class="report-north" viewBox="0 0 40 56" width="40" height="56" role="img" aria-label="north">
      <rect x="0" y="0" width="40" height="56" rx="4" fill="rgba(255,255,255,0.9)" />
      <polygon points="20,6 31,38 20,31 9,38" fill="#222" />
      <polygon points="20,6 20,31 9,38" fill="#fff" stroke="#222" stroke-width="1" />
      <text x="20" y="52" text-anchor="middle" font-size="12" font-weight="bold" fill="#222">
        {t(language, 'reportNorth')}
      </text>
    </svg>
  );
}

/** A scale bar of a round length, about a quarter of the frame's width at most. */
function ScaleBar({ metresPerPixel, widthMm }: { metresPerPixel: number; widthMm: number }) {
  const meters = scaleBarMeters(metresPerPixel * widthMm * pxPerMm * 0.25);
  if (meters <= 0) return null;
  const lengthMm = meters / metresPerPixel / pxPerMm;
  const label = meters >= 1000 ? `${meters / 1000} km` : `${meters} m`;
  return (
    <div class="report-scale" data-testid="report-scale">
      <div class="report-scale-bar" style={{ width: `${lengthMm}mm` }}>
        <span style={{ width: '50%' }} />
      </div>
      <div class="report-scale-labels" style={{ width: `${lengthMm}mm` }}>
        <span>0</span>
        <span>{label}</span>
      </div>
    </div>
  );
}
