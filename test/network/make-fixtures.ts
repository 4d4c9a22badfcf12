/**
 * Writes the hand-checked walking-distance fixtures test/network/in/*.geojson (run with
 * `npx tsx test/network/make-fixtures.ts`). Every scene is built in metres around 30.66°N, 104.1°E; the
 * expected distances in `greenreach_test.expect` are worked out by hand in the comments below.
 */
import { writeFileSync } from 'node:fs';
import type { Feature } from 'geojson';
import { frame } from './scene';

const { line, rect, point, square } = frame();
const cell = 10;

interface Expectation {
  at: [number, number];
  [field: string]: unknown;
}

function fixture(
  name: string,
  why: string,
  rules: string,
  layers: Record<string, Feature[]>,
  cells: Expectation[],
  summary: Record<string, unknown> = {},
) {
  const features: Feature[] = [];
  for (const [layer, list] of Object.entries(layers)) {
    for (const feature of list) features.push({ ...feature, properties: { ...feature.properties, layer } });
  }
  const text = JSON.stringify(
    {
      type: 'FeatureCollection',
      greenreach_test: { why, rules, distance: 'network', cellMeters: cell, expect: { cells, summary } },
      features,
    },
    null,
    1,
  );
  writeFileSync(new URL(`in/${name}.geojson`, import.meta.url), `${text}\n`);
}

const home = (x: number, y: number, name: string) => square(x, y, cell, { name, population: 10 });

// A river (barrier, x = 100) between two north–south streets (x = 0 and x = 180) with one bridge at
// y = 300. The park (190–240 × −20–20) is 10 m east of the east street; its generated entrances are
// the boundary samples at (190, −20) and (190, 10), each 10 m from the street. Walk from (0, 0):
// 300 north + 180 over the bridge + 290 south + 10 = 780.
// Cell A (5, 0): 5 + 780 = 785 on foot, 185 m in a straight line: meets 800 m in a straight line and
// on foot. Cell B (95, 0): its nearest street is across the river (x = 180, 85 m): the barrier makes
// it join x = 0 (95 m): 95 + 780 = 875, more than 800. Cell C (5, −900) is 400 m beyond the end of the
// west street: off the network (null), though 903 m in a straight line is also beyond reach.
fixture(
  'river-one-bridge',
  'a river with one bridge: the walk goes over the bridge; a cell beside the river never snaps across it; a cell off the network',
  'parkserve',
  {
    communities: [home(5, 0, 'A'), home(95, 0, 'B'), home(5, -900, 'C')],
    greenways: [],
    greenspaces: [rect(190, -20, 50, 40, { kind: 'park', name: 'East park' })],
    streets: [
      line(
        [
          [0, -500],
          [0, 300],
          [0, 500],
        ],
        { highway: 'residential' },
      ),
      line(
        [
          [180, -500],
          [180, 300],
          [180, 500],
        ],
        { highway: 'residential' },
      ),
      line(
        [
          [0, 300],
          [180, 300],
        ],
        { highway: 'residential', bridge: 'yes' },
      ),
      line(
        [
          [-50, 100],
          [300, 100],
        ],
        { highway: 'motorway' },
      ),
    ],
    barriers: [
      line(
        [
          [100, -1000],
          [100, 1000],
        ],
        { waterway: 'river' },
      ),
    ],
  },
  [
    { at: [5, 0], park_m: 785, park_straight_m: 185, meets_park: true, off_network: false },
    { at: [95, 0], park_m: 875, park_straight_m: 95, meets_park: false, off_network: false },
    { at: [5, -900], park_m: null, off_network: true },
  ],
  { cells: 3, cells_meeting_park: 1, cells_meeting_both_straight: 2 },
);

// Streets: south (y = 0) and north (y = 200), joined only at x = −300. The park (−50–50 × 20–180) has
// one gate, on its north side (0, 180): 20 m from the north street. Cell (0, −10) joins the south
// street 10 m away: 10 + 300 west + 200 north + 300 east + 20 = 830 on foot, 30 m in a straight line.
// Without the gate layer the park's generated entrances lie on the south street (20 m): 10 + 20 = 30.
const farGate = {
  communities: [home(0, -10, 'S')],
  greenways: [],
  greenspaces: [rect(-50, 20, 100, 160, { kind: 'park' })],
  streets: [
    line([
      [-300, 0],
      [300, 0],
    ]),
    line([
      [-300, 0],
      [-300, 200],
    ]),
    line([
      [-300, 200],
      [300, 200],
    ]),
  ],
};
fixture(
  'gate-on-far-side',
  'a park whose only gate is on the far side: the walk goes round the block to it',
  'parkserve',
  { ...farGate, entrances: [point(0, 180, { barrier: 'gate' }), point(400, 400, { barrier: 'gate' })] },
  [{ at: [0, -10], park_m: 830, park_straight_m: 30, meets_park: false }],
  { cells_meeting_park: 0, cells_meeting_both_straight: 1 },
);
fixture(
  'gate-generated',
  'the same park without a gate layer: entrances are generated on the near street',
  'parkserve',
  farGate,
  [{ at: [0, -10], park_m: 30, park_straight_m: 30, meets_park: true }],
);

// A greenway (0, 0)–(400, 0) with no vertex between its ends, and a street (0, 0)–(0, 120)–(400, 120)
// sharing its west end. Cell (200, 30) joins the greenway itself 30 m away: reached mid-edge, 30 m.
// Cell (200, 100) joins the street (20 m): 20 + 200 west + 120 south = 340 on foot (100 straight).
fixture(
  'greenway-mid-edge',
  'a greenway is reached anywhere along it: a cell beside its middle walks only its link',
  'chengdu',
  {
    communities: [home(200, 30, 'G'), home(200, 100, 'H')],
    greenways: [
      line(
        [
          [0, 0],
          [400, 0],
        ],
        { name: '绿道' },
      ),
    ],
    greenspaces: [],
    streets: [
      line(
        [
          [0, 0],
          [0, 120],
          [400, 120],
        ],
        { highway: 'footway' },
      ),
    ],
  },
  [
    { at: [200, 30], green_m: 30, green_straight_m: 30, meets_green: true },
    { at: [200, 100], green_m: 340, green_straight_m: 100, meets_green: false },
  ],
);

// A park (0–100 × 0–100) south of which runs a street (y = −10). Cell (50, 50) is inside: 0. Cell
// (50, −30) joins the street at (50, −10), 20 m; the boundary sample (50, 0) enters 10 m away on the
// same edge: 20 + 10 = 30 (the same as the straight line).
fixture(
  'cell-inside-park',
  'a cell inside a park is 0 m on foot too; an entrance on the cell’s own edge is walked along that edge',
  'chengdu',
  {
    communities: [home(50, 50, 'In'), home(50, -30, 'Out')],
    greenways: [],
    greenspaces: [rect(0, 0, 100, 100, { kind: 'park' })],
    streets: [
      line([
        [-100, -10],
        [200, -10],
      ]),
    ],
  },
  [
    { at: [50, 50], park_m: 0, green_m: 0 },
    { at: [50, -30], park_m: 30, park_straight_m: 30 },
  ],
);

// An east–west street (y = 0) and a north–south tunnel (x = 0) cross with no shared vertex. The tunnel
// runs into the park (−20–20 × 210–250), entering it at (0, 210). Cell (150, −10) joins the street:
// it cannot turn into the tunnel, so the park is out of reach on foot (255 m in a straight line).
// Cell (10, −150) joins the tunnel 10 m away: 10 + 360 = 370.
fixture(
  'tunnel-no-junction',
  'a tunnel crossing a street without a shared vertex is no junction',
  'chengdu',
  {
    communities: [home(150, -10, 'Street'), home(10, -150, 'Tunnel')],
    greenways: [],
    greenspaces: [rect(-20, 210, 40, 40, { kind: 'park' })],
    streets: [
      line(
        [
          [-200, 0],
          [200, 0],
        ],
        { highway: 'primary' },
      ),
      line(
        [
          [0, -200],
          [0, 230],
        ],
        { highway: 'primary', tunnel: 'yes' },
      ),
    ],
  },
  [
    { at: [150, -10], park_m: null, meets_park: false, park_straight_m: 255.5 },
    { at: [10, -150], park_m: 370, meets_park: true },
  ],
);
