import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { firstPageModules, firstPageTable, keysBySourceFile, laterTable, tableKeys } from './message-keys';

// Which message rows are in the wrong table, from a production build with source maps:
//   NODE_ENV=production VITE_TEST_HOOKS= VITE_CONFIG_NATIVE_IGNORE_WARNING=true \
//     node node_modules/vite/bin/vite.js build --outDir /tmp/fp --emptyOutDir --sourcemap
//   npx tsx scripts/messages-split.ts /tmp/fp [--json]
// A row some first-page module uses must be in src/ui/messages.ts; a row only lazily loaded modules use
// can move to src/ui/messages-later.ts (that saves first-page bytes); a row no module names stays in the
// first page's table (it may be built at run time in a way the scan does not see).

const repository = resolve(import.meta.dirname, '..');
const [outDirectory = '/tmp/fp', format] = process.argv.slice(2);
const firstKeys = tableKeys(readFileSync(resolve(repository, firstPageTable), 'utf8'));
const laterKeys = tableKeys(readFileSync(resolve(repository, laterTable), 'utf8'));
const onFirstPage = firstPageModules(outDirectory);
const users = keysBySourceFile(resolve(repository, 'src'), [...firstKeys, ...laterKeys]);

/** Key → the source files using it. */
const usedBy = new Map<string, string[]>();
for (const [path, keys] of users)
  for (const key of keys) usedBy.set(key, [...(usedBy.get(key) ?? []), relative(repository, path)]);
const usedOnFirstPage = (key: string) =>
  (usedBy.get(key) ?? []).some((path) => onFirstPage.has(resolve(repository, path)));

const canMove = firstKeys.filter((key) => usedBy.has(key) && !usedOnFirstPage(key));
const mustMoveBack = laterKeys.filter(usedOnFirstPage);
const unused = [...firstKeys, ...laterKeys].filter((key) => !usedBy.has(key));
if (format === '--json') console.log(JSON.stringify({ lazy: canMove, mustMoveBack, unused }));
else {
  console.log(`first-page src modules: ${onFirstPage.size}; rows: ${firstKeys.length} + ${laterKeys.length} later`);
  console.log(`only lazily loaded code uses (can move to ${laterTable}): ${canMove.join(' ') || 'none'}`);
  console.log(`the first page uses (must be in ${firstPageTable}): ${mustMoveBack.join(' ') || 'none'}`);
  console.log(`no module names (stay in ${firstPageTable}): ${unused.join(' ') || 'none'}`);
}
