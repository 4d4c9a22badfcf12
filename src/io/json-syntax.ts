/**
 * Where a JSON text is broken, for one-line messages: V8's JSON.parse messages differ between Node
 * versions and sometimes carry no position, so the position is read from the message or found by
 * scanning the text. Used by the GeoJSON reader.
 */

/** Where and why JSON.parse failed: the file ends too early, or a position (when one is known) and a reason. */
export interface JsonSyntaxProblem {
  truncated: boolean;
  /** 1-based line and column, or null when neither the message nor a scan of the text finds them. */
  line: number | null;
  column: number | null;
  reason: string;
}

/**
 * Where a JSON.parse error of `text` is: understands Node 20's "… at position N", newer V8's "(line L
 * column C)" and messages with no position (then the position is found by scanning the text).
 */
export function locateJsonSyntaxError(text: string, message: string): JsonSyntaxProblem {
  const reason = message
    .replace(/ in JSON at position \d+.*$/s, '')
    .replace(/ \(line \d+ column \d+\)$/, '')
    .replace(/, .*is not valid JSON$/s, '')
    .trim();
  const lineColumn = /\(line (\d+) column (\d+)\)/.exec(message);
  const position = /at position (\d+)/.exec(message);
  const offset = position ? Number(position[1]) : lineColumn ? -1 : locateJsonError(text);
  if (/Unexpected end of JSON input/.test(message) || offset >= text.trimEnd().length) {
    return { truncated: true, line: null, column: null, reason };
  }
  if (lineColumn) return { truncated: false, line: Number(lineColumn[1]), column: Number(lineColumn[2]), reason };
  if (offset < 0) return { truncated: false, line: null, column: null, reason };
  const before = text.slice(0, offset);
  return { truncated: false, line: before.split('\n').length, column: offset - before.lastIndexOf('\n'), reason };
}

/**
 * One-line description of a JSON.parse error of `text`: "invalid JSON at line L, column C: <reason>" or
 * "the file is truncated (unexpected end of JSON)" (see {@link locateJsonSyntaxError}). `singleLine`
 * leaves out the line number (for one NDJSON line).
 */
export function describeJsonSyntaxError(text: string, message: string, singleLine = false): string {
  const { truncated, line, column, reason } = locateJsonSyntaxError(text, message);
  if (truncated) return 'the file is truncated (unexpected end of JSON)';
  if (line === null) return `invalid JSON: ${reason}`;
  return singleLine
    ? `invalid JSON at column ${column}: ${reason}`
    : `invalid JSON at line ${line}, column ${column}: ${reason}`;
}

/**
 * Offset of the first JSON syntax error, `text.length` when the text ends too early, or -1 when none is
 * found. Only used when V8's message carries no position (Node 20: "Unexpected token 'x', "…" is not valid JSON").
 */
export function locateJsonError(text: string): number {
  const stack: string[] = [];
  type Expect = 'value' | 'valueOrClose' | 'keyOrClose' | 'key' | 'colon' | 'commaOrClose' | 'end';
  let expect = 'value' as Expect;
  const number = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
  let i = 0;
  const afterValue = () => {
    expect = stack.length === 0 ? 'end' : 'commaOrClose';
  };
  const skipString = (): number => {
    for (let j = i + 1; j < text.length; j++) {
      const code = text.charCodeAt(j);
      if (code === 0x22) return j + 1;
      if (code < 0x20) return -j - 1;
      if (code === 0x5c) {
        const escaped = text[j + 1];
        if (escaped === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6))) return -(j + 1) - 1;
          j += 5;
        } else if (escaped !== undefined && '"\\/bfnrt'.includes(escaped)) j++;
        else return -(j + 1) - 1;
      }
    }
    return -text.length - 1;
  };
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (expect === 'end') return i;
    if (expect === 'colon') {
      if (c !== ':') return i;
      expect = 'value';
      i++;
    } else if (expect === 'commaOrClose') {
      const top = stack[stack.length - 1];
      if (c === ',') expect = top === '{' ? 'key' : 'value';
      else if ((c === '}' && top === '{') || (c === ']' && top === '[')) {
        stack.pop();
        afterValue();
      } else return i;
      i++;
    } else if (expect === 'key' || expect === 'keyOrClose') {
      if (c === '}' && expect === 'keyOrClose') {
        stack.pop();
        afterValue();
        i++;
      } else if (c === '"') {
        const end = skipString();
        if (end < 0) return -end - 1;
        i = end;
        expect = 'colon';
      } else return i;
    } else {
      if (c === ']' && expect === 'valueOrClose') {
        stack.pop();
        afterValue();
        i++;
      } else if (c === '{' || c === '[') {
        stack.push(c);
        expect = c === '{' ? 'keyOrClose' : 'valueOrClose';
        i++;
      } else if (c === '"') {
        const end = skipString();
        if (end < 0) return -end - 1;
        i = end;
        afterValue();
      } else {
        number.lastIndex = i;
        const literal = ['true', 'false', 'null'].find((word) => text.startsWith(word, i));
        if (literal) i += literal.length;
        else if (number.test(text)) i = number.lastIndex;
        else return i;
        afterValue();
      }
    }
  }
  return expect === 'end' ? -1 : text.length;
}
