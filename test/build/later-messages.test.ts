import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  firstPageTable,
  keysBySourceFile,
  laterTable,
  referencedKeys,
  sourceFiles,
  tableKeys,
  usesMessages,
} from '../../scripts/message-keys';

// The rows of src/ui/messages-later.ts reach `t` only once that file is imported (it registers itself),
// so every module naming one of them imports it, statically: the import puts the table in that module's
// lazy chunk and it is there before the module renders. The tests that call `t` with such keys do too.

const root = join(import.meta.dirname, '../..');
const laterImport = /^import (?:.* from )?'(?:\.{1,2}\/)+(?:src\/)?(?:ui\/)?messages-later';$/m;

describe('the later message table', () => {
  const firstKeys = tableKeys(readFileSync(join(root, firstPageTable), 'utf8'));
  const laterKeys = tableKeys(readFileSync(join(root, laterTable), 'utf8'));

  it('shares no key with the first-page table', () => {
    expect(laterKeys.length).toBeGreaterThan(100);
    expect(laterKeys.filter((key) => firstKeys.includes(key))).toEqual([]);
  });

  it('is imported by every module and test that names one of its keys', () => {
    const users = keysBySourceFile(join(root, 'src'), laterKeys);
    for (const path of sourceFiles(join(root, 'test'))) {
      const text = readFileSync(path, 'utf8');
      if (usesMessages(path, text)) users.set(path, referencedKeys(text, laterKeys));
    }
    // The scan sees the panels that show later texts (a guard against a scan that finds nothing).
    expect(users.get(join(root, 'src/ui/measure-panel.tsx'))?.has('measureDistance')).toBe(true);
    expect(users.get(join(root, 'src/ui/search-box.tsx'))?.has('searchKind_street')).toBe(true);
    const missing = [...users]
      .filter(([path, keys]) => keys.size > 0 && !laterImport.test(readFileSync(path, 'utf8')))
      .map(([path, keys]) => `${relative(root, path)} (${[...keys].slice(0, 3).join(', ')})`);
    expect(missing, `add import './messages-later' to these files`).toEqual([]);
  });
});
