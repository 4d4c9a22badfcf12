/** Walking distance along a street network (issue 11): pure, typed arrays, no DOM and no io imports. */

export * from './append-greenway';
export * from './barriers';
export * from './dijkstra';
export * from './entrances';
export * from './geometry';
export * from './graph';
export * from './network-model';
export * from './snap';
export * from './walk';
export * from './walk-route';
export * from './walkable';
