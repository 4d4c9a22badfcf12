import { readFileSync } from 'node:fs';
import { strToU8, unzipSync, zipSync } from 'fflate';
import type { Feature, FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import { readFlatGeobuf } from '../../src/io/flatgeobuf-read';
import { projectBasemapEmbedBytes, readProject, writeProject } from '../../src/state/project-file';

const fixture = JSON.parse(
  readFileSync(new URL('../coverage/in/residential-population.geojson', import.meta.url), 'utf8'),
) as FeatureCollection;
const layer = (name: string): FeatureCollection => ({
  type: 'FeatureCollection',
  features: fixture.features
    .filter((feature: Feature) => feature.properties?.layer === name)
    .map((feature) => ({ ...feature, properties: { ...feature.properties } })),
});

const park: Feature = {
  type: 'Feature',
  properties: { kind: 'pocket_park', name: '新小游园' },
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [104, 30],
        [104.001, 30],
        [104.001, 30.001],
        [104, 30],
      ],
    ],
  },
};

describe('project file', () => {
  const project = {
    search: '?lang=zh&preset=who&cell=25&view=104.1,30.6,13',
    dataPath: 'data/demo/',
    layers: { communities: layer('communities'), greenspaces: layer('greenspaces'), residential: layer('residential') },
    scenarios: [{ name: '方案 A', features: [{ key: 'f1', layer: 'greenspaces' as const, feature: park }] }],
  };

  it('round-trips the screen, the layers and the scenarios', () => {
    const bytes = writeProject(project, new Date('2026-12-02T00:00:00Z'));
    const back = readProject(bytes);
    expect(back.search).toBe(project.search);
    expect(back.dataPath).toBe('data/demo/');
    expect(Object.keys(back.layers).sort()).toEqual(['communities', 'greenspaces', 'residential']);
    for (const name of ['communities', 'greenspaces', 'residential'] as const) {
      const original = project.layers[name];
      expect(back.layers[name]!.features.map((feature) => feature.geometry)).toEqual(
        original.features.map((feature) => feature.geometry),
      );
      expect(back.layers[name]!.features.map((feature) => feature.properties)).toEqual(
        original.features.map((feature) => feature.properties),
      );
    }
    expect(back.scenarios).toEqual(project.scenarios);
  });

  it('keeps a population layer (points and polygons with their counts) when the planner gave one', () => {
    const population: FeatureCollection = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { population: 1234.5 },
          geometry: { type: 'Point', coordinates: [104.1, 30.6] },
        },
        { ...park, properties: { population: 80 } },
      ],
    };
    const back = readProject(writeProject({ ...project, layers: { ...project.layers, population } }));
    expect(back.layers.population!.features.map((feature) => feature.geometry)).toEqual(
      population.features.map((feature) => feature.geometry),
    );
    expect(back.layers.population!.features.map((feature) => feature.properties?.population)).toEqual([1234.5, 80]);
    expect(readProject(writeProject(project)).layers.population).toBeUndefined();
  });

  it('holds a manifest and FlatGeobuf layers that other readers take as they are', () => {
    const files = unzipSync(writeProject(project));
    const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json']));
    expect(manifest).toMatchObject({ format: 'greenreach-project', version: 1, search: project.search });
    expect(manifest.layers.greenspaces).toBe('layers/greenspaces.fgb');
    expect(readFlatGeobuf(files['layers/greenspaces.fgb'], 'greenspaces.fgb').features).toHaveLength(
      project.layers.greenspaces.features.length,
    );
  });

  it('says what is wrong with a file that is not a project', () => {
    expect(() => readProject(new Uint8Array([1, 2, 3]))).toThrow(/not a zip/);
    expect(() => readProject(zipSync({ 'a.txt': strToU8('x') }))).toThrow(/no manifest.json/);
    expect(() => readProject(zipSync({ 'manifest.json': strToU8('{"format":"other"}') }))).toThrow(/not a GreenReach/);
    const missing = zipSync({
      'manifest.json': strToU8(
        JSON.stringify({ format: 'greenreach-project', version: 1, layers: { communities: 'layers/c.fgb' } }),
      ),
    });
    expect(() => readProject(missing)).toThrow(/layers\/c.fgb is missing/);
  });

  describe('the basemap', () => {
    // Bytes that compress well: stored as they are, the zip grows by their full length.
    const archive = new Uint8Array(300_000).map((_, index) => index % 7);

    it('records a URL, and a small picked file with its bytes, stored uncompressed', () => {
      const url = 'https://tiles.example.org/chengdu.pmtiles';
      expect(readProject(writeProject({ ...project, basemap: { kind: 'url', url } })).basemap).toEqual({
        kind: 'url',
        url,
      });
      const bytes = writeProject({
        ...project,
        basemap: { kind: 'file', name: '成都 城区.pmtiles', bytes: archive.length, data: archive },
      });
      const back = readProject(bytes);
      expect(back.basemap).toMatchObject({ kind: 'file', name: '成都 城区.pmtiles', bytes: archive.length });
      expect(back.basemap?.kind === 'file' && Array.from(back.basemap.data!)).toEqual(Array.from(archive));
      const manifest = JSON.parse(new TextDecoder().decode(unzipSync(bytes)['manifest.json']));
      expect(manifest.basemap.file).toMatch(/^basemap\/[\w.-]+\.pmtiles$/);
      expect(bytes.length).toBeGreaterThan(archive.length);
    });

    it('names a file over the limit without its bytes, so the colleague picks it again', () => {
      const large = new Uint8Array(projectBasemapEmbedBytes + 1);
      const bytes = writeProject({
        ...project,
        basemap: { kind: 'file', name: 'city.pmtiles', bytes: large.length, data: large },
      });
      expect(bytes.length).toBeLessThan(1_000_000);
      expect(readProject(bytes).basemap).toEqual({ kind: 'file', name: 'city.pmtiles', bytes: large.length });
      expect(Object.keys(unzipSync(bytes)).some((name) => name.startsWith('basemap/'))).toBe(false);
    });

    it('tells "no basemap" (null) from a project written before basemaps were recorded (absent)', () => {
      expect(readProject(writeProject({ ...project, basemap: null })).basemap).toBeNull();
      expect('basemap' in readProject(writeProject(project))).toBe(false);
    });

    it('says which file is missing when the manifest names an archive the zip lacks; ignores unknown records', () => {
      const manifest = (basemap: unknown) =>
        zipSync({ 'manifest.json': strToU8(JSON.stringify({ format: 'greenreach-project', version: 1, basemap })) });
      expect(() =>
        readProject(manifest({ kind: 'file', name: 'a.pmtiles', bytes: 3, file: 'basemap/a.pmtiles' })),
      ).toThrow(/basemap\/a.pmtiles is missing/);
      expect(readProject(manifest({ kind: 'ftp', url: 1 })).basemap).toBeNull();
    });
  });
});
