import type { Post, SourceAdapter, SourceOptions } from '../model.js';
import { emptyPost } from '../model.js';
import { hashtagsIn, mentionsIn, normaliseUrl } from '../normalise.js';
import { csvRows } from './open.js';

export const QUT_COLUMNS = ['message_id', 'user_id', 'username', 'repost_id', 'reply_id', 'message', 'timestamp', 'urls'];

/** QUT's `urls` column is space-delimited; its own sample data writes a Python list instead. */
function splitUrls(cell: string): string[] {
  const s = cell.trim();
  if (!s) return [];
  if (s.startsWith('[')) return [...s.matchAll(/'([^']*)'|"([^"]*)"/g)].map((m) => m[1] ?? m[2] ?? '').filter(Boolean);
  return s.split(/\s+/);
}

/** The coordination-network-toolkit's CSV: message_id,user_id,username,repost_id,reply_id,message,timestamp (seconds),urls. */
export const qutCsv: SourceAdapter = {
  id: 'qut',
  title: 'QUT coordination-network-toolkit CSV',
  async *read(path: string, options?: SourceOptions): AsyncGenerator<Post> {
    for await (const r of csvRows(path)) {
      const id = r.message_id ?? '';
      const seconds = Number(r.timestamp);
      if (!id || !r.user_id || !Number.isFinite(seconds)) {
        options?.onSkip?.('row without message_id, user_id or numeric timestamp');
        continue;
      }
      const p = emptyPost(id, r.user_id, Math.round(seconds * 1000));
      if (r.username) p.handle = r.username;
      const text = r.message ?? '';
      if (text) p.text = text;
      if (r.repost_id) {
        p.kind = 'repost';
        p.repostOf = r.repost_id;
      } else if (r.reply_id) {
        p.kind = 'reply';
      }
      if (r.reply_id) p.replyTo = r.reply_id;
      p.urls = [...new Set(splitUrls(r.urls ?? '').map(normaliseUrl).filter(Boolean))];
      p.hashtags = hashtagsIn(text);
      p.mentions = mentionsIn(text);
      yield p;
    }
  },
};
