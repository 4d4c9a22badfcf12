import { describe, expect, it } from 'vitest';
import { featureTags, isEntrancePoint, isWalkable } from '../../src/coverage/network/walkable';

describe('walk filter (issue 11, OSMnx walk rules)', () => {
  it('reads tags flat, nested under `tags`, and from ogr2ogr `other_tags`', () => {
    expect(featureTags({ highway: 'footway', name: 'a' })).toMatchObject({ highway: 'footway', name: 'a' });
    expect(featureTags({ tags: { highway: 'steps' } })).toMatchObject({ highway: 'steps' });
    expect(featureTags({ other_tags: '"foot"=>"no","access"=>"private"' })).toMatchObject({
      foot: 'no',
      access: 'private',
    });
    expect(Object.keys(featureTags(null))).toEqual([]);
  });

  it.each([
    [{}, true, 'an untagged line (a plain street layer)'],
    [{ name: 'Main St' }, true, 'a line with only a name'],
    [{ highway: 'footway' }, true, 'a footway'],
    [{ highway: 'steps' }, true, 'steps'],
    [{ highway: 'pedestrian' }, true, 'a pedestrian street'],
    [{ highway: 'living_street' }, true, 'a living street'],
    [{ highway: 'residential' }, true, 'a residential street'],
    [{ highway: 'service' }, true, 'a service road'],
    [{ highway: 'track' }, true, 'a track'],
    [{ highway: 'primary' }, true, 'a primary road'],
    [{ highway: 'motorway' }, false, 'a motorway'],
    [{ highway: 'motorway_link' }, false, 'a motorway link'],
    [{ highway: 'trunk' }, false, 'a trunk road'],
    [{ highway: 'trunk_link' }, false, 'a trunk link'],
    [{ highway: 'construction' }, false, 'a road under construction'],
    [{ highway: 'proposed' }, false, 'a proposed road'],
    [{ highway: 'raceway' }, false, 'a raceway'],
    [{ highway: 'bus_guideway' }, false, 'a bus guideway'],
    [{ highway: 'platform' }, false, 'a platform'],
    [{ highway: 'residential', foot: 'no' }, false, 'foot=no'],
    [{ highway: 'service', access: 'private' }, false, 'access=private'],
    [{ highway: 'service', access: 'no' }, false, 'access=no'],
    [{ highway: 'service', access: 'private', foot: 'yes' }, true, 'access=private but foot=yes'],
    [{ highway: 'service', access: 'no', foot: 'designated' }, true, 'access=no but foot=designated'],
    [{ highway: 'pedestrian', area: 'yes' }, false, 'area=yes'],
    [{ waterway: 'river' }, false, 'a river in a streets layer'],
    [{ railway: 'rail' }, false, 'a railway in a streets layer'],
    [{ railway: 'abandoned', foot: 'designated' }, true, 'an old railway designated for walking'],
  ] as [Record<string, string>, boolean, string][])('%j → %s (%s)', (tags, walkable) => {
    expect(isWalkable(tags)).toBe(walkable);
  });

  it('entrance points: any untagged point; OSM gates and entrances unless private', () => {
    expect(isEntrancePoint({})).toBe(true);
    expect(isEntrancePoint({ name: 'North gate' })).toBe(true);
    expect(isEntrancePoint({ barrier: 'gate' })).toBe(true);
    expect(isEntrancePoint({ entrance: 'main' })).toBe(true);
    expect(isEntrancePoint({ barrier: 'gate', access: 'private' })).toBe(false);
    expect(isEntrancePoint({ barrier: 'bollard' })).toBe(false);
    expect(isEntrancePoint({ entrance: 'no' })).toBe(false);
  });
});
