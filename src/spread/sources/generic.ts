import type { GenericField, Post, PostKind, SourceAdapter, SourceOptions } from '../model.js';
import { emptyPost } from '../model.js';
import { hashtagsIn, mentionsIn, normaliseUrl, urlsIn } from '../normalise.js';
import { snowflakeTime } from '../snowflake.js';
import { jsonValues, isObject, str } from './json-values.js';
import { csvRows, peekText } from './open.js';

/** Column names tried when no mapping names one (Telegram exports, forum scrapes, most CSV dumps). */
const GUESSES: Record<GenericField, string[]> = {
  id: ['id', 'post_id', 'message_id', 'tweet_id', 'tweetid'],
  account: ['account', 'account_id', 'user_id', 'userid', 'author_id', 'from_id', 'author'],
  handle: ['handle', 'username', 'screen_name', 'user_screen_name', 'from'],
  at: ['at', 'timestamp', 'time', 'date', 'created_at', 'date_unixtime', 'tweet_time'],
  kind: ['kind', 'type'],
  repostOf: ['repost_of', 'repost_id', 'retweet_id', 'forwarded_from_id', 'shared_id'],
  repostOfAccount: ['repost_of_account', 'retweet_userid'],
  quoteOf: ['quote_of', 'quoted_id'],
  replyTo: ['reply_to', 'reply_id', 'reply_to_message_id', 'in_reply_to_id', 'parent_id'],
  replyToAccount: ['reply_to_account', 'in_reply_to_userid'],
  text: ['text', 'message', 'body', 'content', 'tweet_text'],
  hashtags: ['hashtags'],
  mentions: ['mentions'],
  urls: ['urls', 'links', 'url'],
  media: ['media', 'media_hash', 'photo', 'file'],
  client: ['client', 'source', 'via_bot'],
};

function dig(o: Record<string, unknown>, path: string): unknown {
  let cur: unknown = o;
  for (const part of path.split('.')) {
    if (!isObject(cur)) return undefined;
    cur = cur[part];
  }
  return cur;
}

/** Seconds, milliseconds or a date string -> ms. Numbers under 1e11 are taken as seconds. */
export function parseTime(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? (Math.abs(v) < 1e11 ? Math.round(v * 1000) : v) : undefined;
  const s = str(v)?.trim();
  if (!s) return undefined;
  if (/^-?\d+(\.\d+)?$/.test(s)) return parseTime(Number(s));
  // A date without a zone is read as UTC, never as the local time of the machine running the analysis.
  const iso = s.replace(/^(\d{4}-\d\d-\d\d) (\d)/, '$1T$2');
  const t = Date.parse(/[zZ]$|[+-]\d\d:?\d\d$/.test(iso) || !/^\d{4}-\d\d-\d\dT/.test(iso) ? iso : `${iso}Z`);
  return Number.isFinite(t) ? t : undefined;
}

function list(v: unknown): string[] {
  if (Array.isArray(v)) return v.map((x) => (isObject(x) ? (str(x.text) ?? str(x.tag) ?? '') : (str(x) ?? ''))).filter(Boolean);
  const s = str(v)?.trim();
  if (!s) return [];
  return s.replace(/^\[|\]$/g, '').split(/[\s,;|]+/).map((x) => x.replace(/^['"]|['"]$/g, '')).filter(Boolean);
}

/** Telegram's `text` may be a list of strings and entity objects. */
function textOf(v: unknown): string | undefined {
  if (Array.isArray(v)) return v.map((x) => (isObject(x) ? (str(x.text) ?? '') : (str(x) ?? ''))).join('') || undefined;
  return str(v);
}

export function fromRecord(rec: Record<string, unknown>, mapping: SourceOptions['mapping'] = {}): Post | undefined {
  const get = (f: GenericField): unknown => {
    const named = mapping[f];
    if (named) return dig(rec, named);
    for (const g of GUESSES[f]) if (rec[g] !== undefined && rec[g] !== '') return rec[g];
    return undefined;
  };
  const id = str(get('id'));
  const account = str(get('account')) ?? str(get('handle'));
  if (!id || !account) return undefined;
  const at = parseTime(get('at')) ?? snowflakeTime(id);
  if (at === undefined) return undefined;
  const p = emptyPost(id, account, at);
  const handle = str(get('handle'));
  if (handle) p.handle = handle;
  const text = textOf(get('text'));
  if (text) p.text = text;
  const client = str(get('client'));
  if (client) p.client = client;
  const repostOf = str(get('repostOf'));
  const quoteOf = str(get('quoteOf'));
  const replyTo = str(get('replyTo'));
  const kind = str(get('kind'));
  if (repostOf) {
    p.kind = 'repost';
    p.repostOf = repostOf;
    const a = str(get('repostOfAccount'));
    if (a) p.repostOfAccount = a;
  } else if (quoteOf) {
    p.kind = 'quote';
    p.quoteOf = quoteOf;
  } else if (replyTo) p.kind = 'reply';
  if (replyTo) {
    p.replyTo = replyTo;
    const a = str(get('replyToAccount'));
    if (a) p.replyToAccount = a;
  }
  if (kind && ['original', 'repost', 'quote', 'reply'].includes(kind)) p.kind = kind as PostKind;
  const tags = list(get('hashtags')).map((h) => h.replace(/^#/, '').toLowerCase());
  p.hashtags = tags.length ? [...new Set(tags)] : hashtagsIn(text ?? '');
  const mentions = list(get('mentions')).map((h) => h.replace(/^@/, '').toLowerCase());
  p.mentions = mentions.length ? [...new Set(mentions)] : mentionsIn(text ?? '');
  const urls = list(get('urls'));
  p.urls = [...new Set((urls.length ? urls : urlsIn(text ?? '')).map(normaliseUrl).filter(Boolean))];
  p.media = [...new Set(list(get('media')))];
  return p;
}

/**
 * Any CSV or JSON Lines/array of posts, with a column mapping (`--map at=date,account=from_id`) or
 * the usual names guessed. A Telegram export (`result.json`) is read through its `messages` array.
 */
export const genericPosts: SourceAdapter = {
  id: 'generic',
  title: 'Generic CSV / JSON Lines with a column mapping',
  async *read(path: string, options?: SourceOptions): AsyncGenerator<Post> {
    const head = (await peekText(path, 64)).trimStart();
    const records: AsyncIterable<unknown> = head.startsWith('{') || head.startsWith('[') ? jsonValues(path) : csvRows(path);
    for await (const r of records) {
      const batch = isObject(r) && Array.isArray(r.messages) ? r.messages : [r];
      for (const rec of batch) {
        const p = isObject(rec) ? fromRecord(rec, options?.mapping) : undefined;
        if (p) yield p;
        else options?.onSkip?.('record without id, account or time');
      }
    }
  },
};
