import { describe, expectTypeOf, it } from 'vitest';
import type { OsmLayerName } from '../../src/io/osm/index';
import type { PlannerArchive } from '../../src/io/pmtiles-archive';
import type { DrawEditor } from '../../src/map/draw-editor';
import type {
  MapCamera,
  MapData,
  MapLanguage,
  MapLayerVisibility,
  MapPlannerBasemap,
  MapPreviewLayer,
} from '../../src/map/map-types';
import type { DataSet } from '../../src/state/load-data';
import type { ScenarioController } from '../../src/state/scenario';
import type { Language, LayerVisibility, MapView } from '../../src/state/url-state';

// The map defines the types it is handed; the app's own satisfy them as they are (checked by `tsc`).
describe('the map types', () => {
  it("are satisfied by the app's", () => {
    expectTypeOf<DataSet>().toMatchTypeOf<MapData>();
    expectTypeOf<Language>().toMatchTypeOf<MapLanguage>();
    expectTypeOf<LayerVisibility>().toMatchTypeOf<MapLayerVisibility>();
    expectTypeOf<MapView>().toMatchTypeOf<MapCamera>();
    expectTypeOf<ScenarioController>().toMatchTypeOf<DrawEditor>();
    expectTypeOf<PlannerArchive>().toMatchTypeOf<MapPlannerBasemap>();
    // The import dialog's preview draws every layer an extract derives.
    expectTypeOf<OsmLayerName>().toEqualTypeOf<MapPreviewLayer>();
  });
});
