import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

// Reads every import statement under src/ and checks it against the direction table of
// docs/architecture.md: dependencies point one way, from the composition root down to the engine.

const source = resolve(import.meta.dirname, '../../src');

/** Folder → the folders of src/ it may import (besides itself). Keep in step with docs/architecture.md. */
const allowed: Record<string, string[]> = {
  coverage: [],
  geometry: ['coverage'],
  theme: ['coverage'],
  io: ['coverage'],
  worker: ['coverage', 'io'],
  map: ['coverage', 'geometry', 'theme'],
  state: ['coverage', 'geometry', 'io', 'worker', 'map'],
  ui: ['coverage', 'geometry', 'theme', 'io', 'state'],
  app: ['coverage', 'geometry', 'theme', 'io', 'worker', 'map', 'state', 'ui'],
};
/** Files directly in src/: the entry point and the kiosk's service worker. */
const topLevel = ['app', 'state'];

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|js)$/.test(name) ? [path] : [];
  });
}

/** The folder of src/ a path lies in ('' for src/ itself). */
function folderOf(path: string): string {
  const parts = relative(source, path).split(sep);
  return parts.length > 1 ? parts[0] : '';
}

/** Every relative module specifier of a file: static imports, re-exports, `import('…')` and `new URL('…', import.meta.url)`. */
function importsOf(text: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\bfrom\s+['"](\.[^'"]+)['"]/g,
    /\bimport\s+['"](\.[^'"]+)['"]/g,
    /\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/g,
    /new URL\(\s*['"](\.[^'"]+)['"]\s*,\s*import\.meta\.url/g,
  ];
  for (const pattern of patterns) for (const match of text.matchAll(pattern)) found.push(match[1]);
  return found;
}

const edges = sourceFiles(source).flatMap((file) =>
  importsOf(readFileSync(file, 'utf8'))
    .map((specifier) => resolve(file, '..', specifier))
    .filter((target) => target.startsWith(source + sep))
    .map((target) => ({ file: relative(source, file), from: folderOf(file), to: folderOf(target) })),
);

describe('import rules (docs/architecture.md)', () => {
  it('finds the imports it checks', () => {
    expect(
      importsOf("import { a } from './a';\nexport * from '../b';\nconst w = new URL('./w.ts', import.meta.url);"),
    ).toEqual(['./a', '../b', './w.ts']);
    // Every folder of the table exists and imports something or is imported.
    for (const folder of Object.keys(allowed))
      expect(edges.some((e) => e.from === folder || e.to === folder)).toBe(true);
  });

  it('every import points down the table', () => {
    const wrong = edges.filter(({ from, to }) => {
      if (from === to || to === '') return false;
      const may = from === '' ? topLevel : allowed[from];
      return !may?.includes(to);
    });
    expect(wrong.map(({ file, to }) => `${file} imports src/${to}`)).toEqual([]);
  });

  it('the engine imports no npm package but @turf/area and flatbush', () => {
    const packages = sourceFiles(join(source, 'coverage')).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/\bfrom\s+['"]([^.'"][^'"]*)['"]/g)]
        .map((match) => match[1])
        .filter((name) => !name.startsWith('geojson')),
    );
    expect([...new Set(packages)].filter((name) => !['@turf/area', 'flatbush'].includes(name))).toEqual([]);
  });
});
