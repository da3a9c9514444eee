// RTF: text and the \info group (title, author, operator, dates, company…). A small tokenizer
// (control words, groups, \'hh in the document code page, \uN with \ucN fallbacks); destinations
// that are not body text (font/colour tables, pictures, objects, \*) are skipped.
import iconv from 'iconv-lite';
import { assignDefined, emptyExtraction, setText } from './common.js';
import { codepageName } from './ole-propset.js';
import type { Extraction, Extractor } from './types.js';

export const RTF_TYPES = ['application/rtf', 'text/rtf', 'text/richtext'] as const;

const SKIP = new Set(['fonttbl', 'colortbl', 'stylesheet', 'listtable', 'listoverridetable', 'pict', 'object', 'themedata',
  'colorschememapping', 'datastore', 'latentstyles', 'rsidtbl', 'generator', 'xmlnstbl', 'mmathPr', 'filetbl', 'revtbl',
  'header', 'footer', 'headerl', 'headerr', 'footerl', 'footerr', 'fldinst', 'bkmkstart', 'bkmkend', 'pgdsctbl', 'protusertbl']);
const INFO_TEXT = new Set(['title', 'subject', 'author', 'operator', 'keywords', 'comment', 'doccomm', 'company', 'manager', 'category', 'hlinkbase']);
const INFO_DATE = new Set(['creatim', 'revtim', 'printim', 'buptim']);
const INFO_NUM = new Set(['version', 'edmins', 'nofpages', 'nofwords', 'nofchars', 'vern', 'id']);

interface Group {
  skip: boolean;
  uc: number;
  /** Info field this group's text goes to. */
  field?: string;
}

export function parseRtf(src: string): { text: string; info: { [k: string]: string | number } } {
  let codepage: number | undefined;
  const out: string[] = [];
  const info: { [k: string]: string | number } = {};
  const stack: Group[] = [];
  let g: Group = { skip: false, uc: 1 };
  let skipChars = 0;
  let date: { [k: string]: number } | undefined;
  let pendingBytes: number[] = [];

  const emit = (s: string): void => {
    if (skipChars > 0) {
      const drop = Math.min(skipChars, s.length);
      skipChars -= drop;
      s = s.slice(drop);
    }
    if (!s) return;
    if (g.field) info[g.field] = String(info[g.field] ?? '') + s;
    else if (!g.skip) out.push(s);
  };
  const flushBytes = (): void => {
    if (!pendingBytes.length) return;
    const b = Buffer.from(pendingBytes);
    pendingBytes = [];
    emit(iconv.decode(b, codepageName(codepage ?? 1252)));
  };

  const re = /\\([a-zA-Z]+)(-?\d+)? ?|\\'([0-9a-fA-F]{2})|\\([^a-zA-Z])|([{}])|([^\\{}\r\n]+)|[\r\n]+/g;
  let firstInGroup = false;
  for (const m of src.matchAll(re)) {
    const [, word, num, hex, sym, brace, chars] = m;
    if (hex !== undefined) {
      if (skipChars > 0) skipChars--;
      else pendingBytes.push(parseInt(hex, 16));
      firstInGroup = false;
      continue;
    }
    flushBytes();
    if (brace === '{') {
      stack.push(g);
      g = { ...g };
      firstInGroup = true;
      continue;
    }
    if (brace === '}') {
      const closing = g;
      g = stack.pop() ?? { skip: false, uc: 1 };
      if (closing.field?.startsWith('date:') && date) {
        const { yr, mo = 1, dy = 1, hr = 0, min = 0, sec = 0 } = date;
        if (yr) info[closing.field.slice(5)] = `${yr}-${String(mo).padStart(2, '0')}-${String(dy).padStart(2, '0')}T${String(hr).padStart(2, '0')}:${String(min).padStart(2, '0')}:${String(sec).padStart(2, '0')}`;
        date = undefined;
      }
      continue;
    }
    if (sym !== undefined) {
      if (sym === '*') {
        g.skip = true;
        continue; // `{\*\company …}`: the destination word that follows still opens the group
      }
      else if (sym === '~') emit('\u00a0');
      else if (sym === '\\' || sym === '{' || sym === '}') emit(sym);
      else if (sym === '\n' || sym === '\r') emit('\n');
      else if (sym === '-' || sym === '_') emit(sym === '_' ? '-' : '');
      firstInGroup = false;
      continue;
    }
    if (word !== undefined) {
      const n = num === undefined ? undefined : Number(num);
      if (word === 'ansicpg' && n) codepage = info['ansicpg'] = n;
      else if (word === 'uc' && n !== undefined) g.uc = n;
      else if (word === 'u' && n !== undefined) {
        emit(String.fromCharCode(n < 0 ? n + 65536 : n));
        skipChars = g.uc;
      } else if (word === 'par' || word === 'line' || word === 'row' || word === 'sect' || word === 'page') emit('\n');
      else if (word === 'tab' || word === 'cell') emit('\t');
      else if (word === 'emdash') emit('—');
      else if (word === 'endash') emit('–');
      else if (word === 'bullet') emit('•');
      else if (word === 'lquote') emit('‘');
      else if (word === 'rquote') emit('’');
      else if (word === 'ldblquote') emit('“');
      else if (word === 'rdblquote') emit('”');
      else if (firstInGroup && word === 'info') g.skip = true;
      else if (firstInGroup && INFO_TEXT.has(word)) g.field = word;
      else if (firstInGroup && INFO_DATE.has(word)) {
        g.field = `date:${word}`;
        g.skip = true;
        date = {};
      } else if (date && /^(yr|mo|dy|hr|min|sec)$/.test(word) && n !== undefined) date[word] = n;
      else if (INFO_NUM.has(word) && n !== undefined && stack.length >= 2 && g.skip) info[word] = n;
      else if (firstInGroup && SKIP.has(word)) g.skip = true;
      firstInGroup = false;
      continue;
    }
    if (chars !== undefined) {
      firstInGroup = false;
      emit(chars);
    }
  }
  flushBytes();
  for (const k of Object.keys(info)) if (typeof info[k] === 'string') info[k] = (info[k] as string).trim();
  return { text: out.join(''), info };
}

export async function extractRtf(bytes: Buffer): Promise<Extraction> {
  const ex = emptyExtraction();
  const src = bytes.toString('latin1');
  if (!src.startsWith('{\\rtf')) ex.problems.push('does not start with {\\rtf: read as RTF anyway');
  const { text, info } = parseRtf(src);
  ex.metadata.raw['rtf.info'] = info;
  const s = (k: string): string | undefined => (typeof info[k] === 'string' && info[k] ? (info[k] as string) : undefined);
  const num = (k: string): number | undefined => (typeof info[k] === 'number' ? (info[k] as number) : undefined);
  assignDefined(ex.metadata, {
    title: s('title'), subject: s('subject'), author: s('author'), lastModifiedBy: s('operator'), keywords: s('keywords'),
    comments: s('doccomm'), company: s('company'), created: s('creatim'), modified: s('revtim'), printed: s('printim'),
    revision: num('version') !== undefined ? String(num('version')) : undefined, totalEditMinutes: num('edmins'),
    pageCount: num('nofpages'), wordCount: num('nofwords'), codepage: num('ansicpg'),
  });
  setText(ex, text);
  return ex;
}

export const rtfExtractor: Extractor = {
  name: 'rtf',
  mediaTypes: RTF_TYPES,
  extract: (bytes) => extractRtf(bytes),
};
