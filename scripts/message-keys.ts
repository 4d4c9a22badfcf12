import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

// Which message keys each source file uses, and which source modules a production build puts on the
// first page: the two facts that decide whether a row belongs in src/ui/messages.ts (the first page's
// table) or in src/ui/messages-later.ts (the rows only lazily loaded code uses).

/** The first page's table and the later one, relative to the repository. */
export const firstPageTable = 'src/ui/messages.ts';
export const laterTable = 'src/ui/messages-later.ts';

/** The keys of a message table's source text, in order (rows are `  key: {` or `  'key-name': {`). */
export function tableKeys(text: string): string[] {
  return [...text.matchAll(/^ {2}'?([A-Za-z_][\w-]*)'?: \{/gm)].map((match) => match[1]);
}

/** Every .ts/.tsx file under `directory`, as absolute paths. */
export function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) ? [resolve(path)] : [];
  });
}

/** Whether a source file shows texts: it imports i18n (values or the `MessageKey` type), or is i18n. */
export function usesMessages(path: string, text: string): boolean {
  return path.endsWith('/ui/i18n.ts') || /from '(?:\.{1,2}\/)+(?:ui\/)?i18n'/.test(text);
}

/**
 * The keys of `keys` a source text refers to: a string literal equal to a key ('legend'), or a literal
 * prefix ending in `_` that a key is built from at run time (`kind_${kind}`, 'osmGuess_' + x,
 * key.startsWith('osmGuess_')), which counts as using every key with that prefix.
 */
export function referencedKeys(text: string, keys: readonly string[]): Set<string> {
  const known = new Set(keys);
  const found = new Set<string>();
  for (const match of text.matchAll(/['"`]([A-Za-z_][\w-]*)['"`]/g)) if (known.has(match[1])) found.add(match[1]);
  // A prefix: a literal ending in `_` followed by `${` (a template) or by its closing quote.
  for (const match of text.matchAll(/['"`]([A-Za-z][A-Za-z0-9]*_)(?:\$\{|['"`])/g))
    for (const key of keys) if (key.startsWith(match[1])) found.add(key);
  return found;
}

/** Source file → the message keys it uses, for every file under `sourceRoot` that shows texts. */
export function keysBySourceFile(sourceRoot: string, keys: readonly string[]): Map<string, Set<string>> {
  const tables = [firstPageTable, laterTable].map((path) => resolve(sourceRoot, '..', path));
  const result = new Map<string, Set<string>>();
  for (const path of sourceFiles(sourceRoot)) {
    if (tables.includes(path)) continue;
    const text = readFileSync(path, 'utf8');
    if (usesMessages(path, text)) result.set(path, referencedKeys(text, keys));
  }
  return result;
}

/**
 * The src/ modules of the first page of a production build made with `--sourcemap`: the sources of
 * every script index.html loads or preloads (scripts without a map hold no src/ code: the runtime,
 * the preload helper, re-export stubs).
 */
export function firstPageModules(outDirectory: string): Set<string> {
  const html = readFileSync(join(outDirectory, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.js)"/g)].map((match) => match[1]);
  const modules = new Set<string>();
  for (const script of scripts) {
    let sources: string[];
    try {
      sources = JSON.parse(readFileSync(join(outDirectory, `${script}.map`), 'utf8')).sources;
    } catch {
      continue;
    }
    for (const source of sources) if (source.includes('/src/')) modules.add(resolve(outDirectory, 'assets', source));
  }
  return modules;
}
