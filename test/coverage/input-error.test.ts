import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/coverage/input-error';

describe('InputError', () => {
  it('names the file, the feature and the problem on one line', () => {
    expect(new InputError('parks.geojson', 3, 'coordinate 0 is not a pair of finite numbers').message).toBe(
      'parks.geojson: feature 3: coordinate 0 is not a pair of finite numbers',
    );
    expect(new InputError('parks.fgb', null, 'the file is empty', { code: 'empty' }).message).toBe(
      'parks.fgb: the file is empty',
    );
  });

  it('an engine error names its layer until inFile names the file and the feature in it', () => {
    const error = InputError.inLayer('greenspaces', 1, 'kind "x" is not park', 'attribute');
    expect(error.message).toBe('greenspaces: feature 1: kind "x" is not park');
    const inFile = error.inFile('parks.geojson', [4, 7, 9]);
    expect(inFile).toBeInstanceOf(InputError);
    expect(inFile.message).toBe('parks.geojson: feature 7: kind "x" is not park');
    expect([inFile.layer, inFile.code, inFile.featureIndex]).toEqual(['greenspaces', 'attribute', 7]);
  });

  it('survives a structured clone as toJSON data', () => {
    const error = new InputError('a.zip', null, 'the zip holds no .shp file', { code: 'unsupported-format' });
    const back = InputError.fromJSON(structuredClone(error.toJSON()));
    expect(back).toBeInstanceOf(InputError);
    expect(back.toJSON()).toEqual(error.toJSON());
    // The import worker's older shape (no layer, no code) is accepted.
    const old = InputError.fromJSON({ message: 'b.csv: bad', fileName: 'b.csv', featureIndex: null, problem: 'bad' });
    expect([old.message, old.layer, old.code]).toEqual(['b.csv: bad', null, 'invalid']);
  });
});
