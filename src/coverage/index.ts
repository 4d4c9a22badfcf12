/** GreenReach coverage engine: pure TypeScript, no DOM; runs in Node, the worker and tests alike. */
export * from './coverage';
export * from './coverage-plan';
export * from './distance-field';
export * from './features';
export * from './geodesy';
export * from './grid';
export * from './input-error';
export * from './network';
export * from './result';
export * from './rules';
export * from './stamp';
export * from './summary';
export * from './tiles';
export * from './walking-tiles';
