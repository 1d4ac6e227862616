/** Text building blocks of the codecs: the multi-value separator, cell-size truncation, note HTML → text. */

/** Most characters a Sheets cell holds. */
/** Sheets holds 50,000 characters per cell; one is kept for the apostrophe that makes Sheets store text literally. */
export const CELL_TEXT_LIMIT = 49_999;
/** Ends a text that was cut to fit a cell. */
export const ELLIPSIS = '…';
/** Joins the items of a multi value. Inside an item, ';' is written '\;' and '\' is written '\\'. */
export const MULTI_SEPARATOR = '; ';
/** Most items Affinity accepts in a multi-value write. */
export const MAX_MULTI_ITEMS = 100;

/** Escapes one item of a multi value: '\' → '\\', ';' → '\;'. */
export function escapeItem(item: string): string {
  // Most items have nothing to escape: skip the replace (a pull escapes every item of every multi-value cell).
  if (item.indexOf(';') === -1 && item.indexOf('\\') === -1) return item;
  return item.replace(/[\\;]/g, (c) => '\\' + c);
}

/** Joins items with '; ', escaping each. joinMulti([]) === ''. */
export function joinMulti(items: readonly string[]): string {
  return items.map(escapeItem).join(MULTI_SEPARATOR);
}

/**
 * Splits a multi-value text: an unescaped ';' ends an item and one space right after it belongs to the
 * separator; '\x' stands for x (so '\;' and '\\'); a lone trailing '\' is kept. Exact inverse of joinMulti
 * except that '' gives [] (so [''] is not representable). Items are not trimmed here.
 */
export function splitMulti(text: string): string[] {
  if (text === '') return [];
  if (text.indexOf('\\') === -1) {
    // Nothing escaped (most cells): the same items from the native split.
    const parts = text.split(';');
    for (let k = 1; k < parts.length; k++) if (parts[k].charCodeAt(0) === 32) parts[k] = parts[k].slice(1);
    return parts;
  }
  const items: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      if (i + 1 < text.length) {
        current += text[i + 1];
        i++;
      } else {
        current += c;
      }
    } else if (c === ';') {
      items.push(current);
      current = '';
      if (text[i + 1] === ' ') i++;
    } else {
      current += c;
    }
  }
  items.push(current);
  return items;
}

/** One line ending ('\n') and no surrounding whitespace: how every canonical text (and item) is stored. */
export function normalizeText(text: string): string {
  return (text.indexOf('\r') === -1 ? text : text.replace(/\r\n?/g, '\n')).trim();
}

/** The items of a multi-value text as a person means them: trimmed, empty ones dropped. */
export function multiItems(text: string): string[] {
  return splitMulti(text)
    .map(normalizeText)
    .filter((s) => s !== '');
}

/** A multi-value text in canonical form: items trimmed, empty ones dropped, re-joined with '; '. */
export function normalizeMulti(text: string): string {
  return isCanonicalMulti(text) ? text : joinMulti(multiItems(text));
}

const SPACE = /\s/;

/**
 * True when a multi-value text is already canonical and has nothing escaped (most cells a pull reads back): items
 * without surrounding whitespace, none empty, each ';' followed by one space. Checked at the separators only, so a
 * tab's multi cells are not split and joined again to find them unchanged. False says nothing (normalize it).
 */
export function isCanonicalMulti(text: string): boolean {
  const n = text.length;
  if (n === 0) return true;
  if (text.indexOf('\\') !== -1 || text.indexOf('\r') !== -1) return false;
  if (SPACE.test(text[0]) || SPACE.test(text[n - 1]) || text[0] === ';' || text[n - 1] === ';') return false;
  for (let i = text.indexOf(';'); i !== -1; i = text.indexOf(';', i + 1)) {
    if (text[i + 1] !== ' ' || i + 2 >= n || text[i + 2] === ';') return false;
    if (SPACE.test(text[i - 1]) || SPACE.test(text[i + 2])) return false;
  }
  return true;
}

/** The last item of a multi value whose items did not all fit or were not all returned by Affinity. */
export function moreMarker(count: number): string {
  return `${ELLIPSIS} (${count} more)`;
}

export function isMoreMarker(item: string): boolean {
  return /^… \(\d+ more\)$/.test(item);
}

/** Cuts a text to at most `limit` UTF-16 units, keeping surrogate pairs whole. */
function cutTo(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let end = Math.max(0, limit);
  const code = text.charCodeAt(end - 1);
  if (end > 0 && code >= 0xd800 && code <= 0xdbff) end--;
  return text.slice(0, end);
}

/** Fits a single-value canonical text into a cell, ending it with '…' when cut. */
export function fitText(text: string): { text: string; truncated: boolean } {
  if (text.length <= CELL_TEXT_LIMIT) return { text, truncated: false };
  return { text: cutTo(text, CELL_TEXT_LIMIT - ELLIPSIS.length) + ELLIPSIS, truncated: true };
}

/**
 * Joins canonical items (already normalized, non-empty) into a cell text. `hidden` counts items Affinity
 * did not return (a multi value's totalCount beyond its data). When items are missing or don't fit, whole
 * items are dropped from the end and a last item '… (N more)' says how many; if not even the first item
 * fits, it is cut and ends with '…'. The result is always in canonical form (see normalizeMulti).
 */
export function fitMulti(items: readonly string[], hidden = 0): { text: string; truncated: boolean } {
  const escaped = items.map(escapeItem);
  if (hidden === 0) {
    const whole = escaped.join(MULTI_SEPARATOR);
    if (whole.length <= CELL_TEXT_LIMIT) return { text: whole, truncated: false };
  }
  const build = (count: number, more: number): string =>
    (more > 0 ? [...escaped.slice(0, count), moreMarker(more)] : escaped.slice(0, count)).join(MULTI_SEPARATOR);
  let text = build(escaped.length, hidden);
  if (text.length <= CELL_TEXT_LIMIT) return { text, truncated: hidden > 0 };
  for (let count = escaped.length - 1; count >= 1; count--) {
    text = build(count, hidden + escaped.length - count);
    if (text.length <= CELL_TEXT_LIMIT) return { text, truncated: true };
  }
  // Not even the first item fits: cut it (escaping as we go so no escape is split).
  const more = hidden + escaped.length - 1;
  const tail = more > 0 ? MULTI_SEPARATOR + moreMarker(more) : '';
  const budget = CELL_TEXT_LIMIT - tail.length - ELLIPSIS.length;
  const first = items[0];
  let head = '';
  for (let i = 0; i < first.length; i++) {
    const code = first.charCodeAt(i);
    const unit = code >= 0xd800 && code <= 0xdbff && i + 1 < first.length ? first.slice(i, i + 2) : first[i];
    const piece = escapeItem(unit);
    if (head.length + piece.length > budget) break;
    head += piece;
    i += unit.length - 1;
  }
  return { text: head + ELLIPSIS + tail, truncated: true };
}

/** True for a text that fitText/fitMulti cut (a full cell ending with '…'): such a cell must not be pushed. */
export function looksCut(text: string): boolean {
  return text.length >= CELL_TEXT_LIMIT - 8 && text.endsWith(ELLIPSIS);
}

// ---------------------------------------------------------------------------------------------
// Note HTML → plain text

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  bull: '•',
  middot: '·',
  copy: '©',
  reg: '®',
  trade: '™',
  euro: '€',
  pound: '£',
  yen: '¥',
  cent: '¢',
  deg: '°',
  times: '×',
  divide: '÷',
  shy: '',
  zwj: '\u200d',
  zwnj: '\u200c',
};

/** Decodes character references: the common named ones, &#N; and &#xH;. Unknown ones stay as written. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});/g, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
      return String.fromCodePoint(code);
    }
    const named = NAMED_ENTITIES[ref.toLowerCase()];
    return named === undefined ? whole : named;
  });
}

const BLOCK_TAGS = new Set([
  'p',
  'div',
  'li',
  'ul',
  'ol',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'tr',
  'table',
  'blockquote',
  'pre',
  'section',
  'article',
  'header',
  'footer',
  'hr',
  'dl',
  'dt',
  'dd',
]);

/**
 * The plain text of a note's HTML: tags stripped (script/style/comments with their content), entities
 * decoded, source whitespace collapsed as a browser would, <br> → a line break, a block element (<p>, <div>,
 * <li>, headings...) starts on its own line, list items start with '- ', at most one blank line in a row.
 */
export function htmlToText(html: string): string {
  const source = html.replace(/<!--[\s\S]*?-->/g, '').replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '');
  let out = '';
  const ensureLineStart = (): void => {
    if (out !== '' && !out.endsWith('\n')) out += '\n';
  };
  const tagRe = /<\/?([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*>/g;
  let last = 0;
  const addText = (raw: string): void => {
    let t = raw.replace(/[ \t\n\r\f]+/g, ' ');
    if (out === '' || out.endsWith('\n')) t = t.replace(/^ /, '');
    out += decodeEntities(t);
  };
  let m: RegExpExecArray | null;
  while ((m = tagRe.exec(source)) !== null) {
    addText(source.slice(last, m.index));
    last = m.index + m[0].length;
    const name = m[1].toLowerCase();
    const closing = m[0][1] === '/';
    if (name === 'br') {
      out += '\n';
    } else if (BLOCK_TAGS.has(name)) {
      ensureLineStart();
      if (name === 'li' && !closing) out += '- ';
    }
  }
  addText(source.slice(last));
  return out
    .replace(/\u00a0/g, ' ')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n[ \t]+/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
