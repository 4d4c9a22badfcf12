import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shippedDatasets } from '../../src/state/datasets';
import { root } from '../browser/harness';

// A shipped data set's downloads start with its manifest's, from the list in datasets.ts: that list must
// be the manifest's own, or the app would miss a layer (or ask for one that is not there).

describe('shipped data sets', () => {
  it('list exactly the layers their manifests list', () => {
    for (const dataset of shippedDatasets) {
      const manifest = JSON.parse(readFileSync(join(root, dataset.path, 'manifest.json'), 'utf8'));
      expect([...dataset.layers].sort(), dataset.path).toEqual(Object.keys(manifest.layers).sort());
    }
  });
});
