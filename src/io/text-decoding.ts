/**
 * Text of files whose encoding is not declared (CSV from Excel, .dbf without .cpg): UTF-8 when the bytes
 * are valid UTF-8 (a BOM is dropped), otherwise GB18030, the superset of GBK/GB2312 that Chinese Windows
 * and Excel write; `warning` says when the fallback was used.
 */
export function decodeUnknownText(bytes: Uint8Array): { text: string; encoding: string; warning: string | null } {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { text, encoding: 'UTF-8', warning: null };
  } catch {
    return {
      text: new TextDecoder('gb18030').decode(bytes),
      encoding: 'GB18030',
      warning: 'the text is not UTF-8; read as GB18030/GBK (the Chinese Windows encoding)',
    };
  }
}

/** True when the bytes decode as UTF-8 without error. */
export function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * A .cpg code page (or dBASE language driver) as a WHATWG encoding label: "UTF-8"/"65001" → utf-8,
 * "936"/"CP936"/"GBK"/"GB2312" → gbk, "GB18030"/"54936" → gb18030, "950"/"BIG5" → big5,
 * "ANSI 1252"/"1252" → windows-1252, "88591"/"ISO-8859-1" → iso-8859-1; null when unknown.
 */
export function encodingOfCodePage(label: string): string | null {
  const text = label
    .trim()
    .toLowerCase()
    .replace(/^ansi\s*/, '')
    .replace(/^(cp|windows-?)(?=\d)/, '');
  if (/^(utf-?8|65001)$/.test(text)) return 'utf-8';
  if (/^(936|gbk|gb2312|gb_2312-80|euc-cn|x-gbk)$/.test(text)) return 'gbk';
  if (/^(gb18030|54936)$/.test(text)) return 'gb18030';
  if (/^(950|big5)$/.test(text)) return 'big5';
  if (/^(932|shift_jis|sjis)$/.test(text)) return 'shift_jis';
  if (/^(949|euc-kr)$/.test(text)) return 'euc-kr';
  if (/^125[0-8]$/.test(text)) return `windows-${text}`;
  if (/^(8859_?1|88591|iso-?8859-?1|latin1)$/.test(text)) return 'iso-8859-1';
  try {
    return new TextDecoder(text).encoding;
  } catch {
    return null;
  }
}
