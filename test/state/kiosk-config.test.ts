import { describe, expect, it } from 'vitest';
import { defaultKioskConfig, kioskUrlSettings, mergeKioskConfig } from '../../src/state/kiosk-config';

// The kiosk's basemap: a PMTiles file on this server named by kiosk.json's `basemap` or `?basemap=`
// (the URL wins); anything that could reach another host or leave the app's directory is ignored.

describe('the kiosk configuration’s basemap', () => {
  it('takes a relative path from the JSON file, and the URL parameter over it', () => {
    const fromJson = mergeKioskConfig(defaultKioskConfig, { basemap: 'data/chengdu/chengdu.pmtiles' });
    expect(fromJson.basemap).toBe('data/chengdu/chengdu.pmtiles');
    const fromUrl = mergeKioskConfig(fromJson, kioskUrlSettings('?kiosk&basemap=data/other/other.pmtiles'));
    expect(fromUrl.basemap).toBe('data/other/other.pmtiles');
    expect(defaultKioskConfig.basemap).toBeNull();
    expect(mergeKioskConfig(fromJson, kioskUrlSettings('?kiosk')).basemap).toBe('data/chengdu/chengdu.pmtiles');
  });

  it('ignores other hosts, schemes and parent directories', () => {
    for (const bad of [
      'https://tiles.example.org/city.pmtiles',
      '//tiles.example.org/city.pmtiles',
      'javascript:alert(1)',
      '../outside.pmtiles',
      'data/../../outside.pmtiles',
      '',
      42,
    ]) {
      expect(mergeKioskConfig(defaultKioskConfig, { basemap: bad }).basemap, String(bad)).toBeNull();
    }
  });
});
