import type { Post, SourceAdapter, SourceOptions } from '../model.js';
import { emptyPost } from '../model.js';
import { hashtagsIn, mentionsIn, normaliseUrl, urlsIn } from '../normalise.js';
import { snowflakeTime } from '../snowflake.js';
import { csvRows } from './open.js';

/** `[a, b]` or `['a', 'b']` as the archive writes lists. */
export function archiveList(cell: string | undefined): string[] {
  const s = (cell ?? '').trim();
  if (!s || s === '[]') return [];
  return s
    .replace(/^\[|\]$/g, '')
    .split(',')
    .map((x) => x.trim().replace(/^['"]|['"]$/g, ''))
    .filter(Boolean);
}

/** `2017-05-05 18:04` (UTC, minute precision) or ISO. */
function archiveTime(cell: string | undefined): number | undefined {
  const s = (cell ?? '').trim();
  if (!s) return undefined;
  const t = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s.replace(' ', 'T')}Z`);
  return Number.isFinite(t) ? t : undefined;
}

/**
 * Twitter's Information Operations archive (tweetid, userid, user_screen_name, tweet_time,
 * is_retweet, retweet_tweetid, ...). Its times are to the minute; Snowflake tweet ids give the
 * millisecond, so ids win when they are Snowflakes.
 */
export const ioArchiveCsv: SourceAdapter = {
  id: 'io-archive',
  title: 'Twitter Information Operations archive CSV',
  async *read(path: string, options?: SourceOptions): AsyncGenerator<Post> {
    for await (const r of csvRows(path)) {
      const id = r.tweetid ?? '';
      const account = r.userid ?? '';
      const at = snowflakeTime(id) ?? archiveTime(r.tweet_time);
      if (!id || !account || at === undefined) {
        options?.onSkip?.('row without tweetid, userid or time');
        continue;
      }
      const p = emptyPost(id, account, at);
      if (r.user_screen_name) p.handle = r.user_screen_name;
      const text = r.tweet_text ?? '';
      if (text) p.text = text;
      if (r.tweet_client_name) p.client = r.tweet_client_name;
      const isRetweet = /^(true|1)$/i.test(r.is_retweet ?? '');
      if (isRetweet && r.retweet_tweetid) {
        p.kind = 'repost';
        p.repostOf = r.retweet_tweetid;
        if (r.retweet_userid) p.repostOfAccount = r.retweet_userid;
      } else if (r.quoted_tweet_tweetid) {
        p.kind = 'quote';
        p.quoteOf = r.quoted_tweet_tweetid;
      } else if (r.in_reply_to_tweetid) {
        p.kind = 'reply';
      }
      if (r.in_reply_to_tweetid) {
        p.replyTo = r.in_reply_to_tweetid;
        if (r.in_reply_to_userid) p.replyToAccount = r.in_reply_to_userid;
      }
      const tags = archiveList(r.hashtags).map((h) => h.replace(/^#/, '').toLowerCase());
      p.hashtags = tags.length ? [...new Set(tags)] : hashtagsIn(text);
      p.mentions = mentionsIn(text);
      const urls = archiveList(r.urls);
      p.urls = [...new Set((urls.length ? urls : urlsIn(text)).map(normaliseUrl).filter(Boolean))];
      const created = archiveTime(r.account_creation_date);
      const followers = Number(r.follower_count);
      const following = Number(r.following_count);
      p.profile = {
        ...(created !== undefined ? { createdAt: created } : {}),
        ...(r.follower_count && Number.isFinite(followers) ? { followers } : {}),
        ...(r.following_count && Number.isFinite(following) ? { following } : {}),
        ...(r.user_display_name ? { name: r.user_display_name } : {}),
        ...(r.user_profile_description ? { description: r.user_profile_description } : {}),
        ...(r.user_reported_location ? { location: r.user_reported_location } : {}),
        ...(r.account_language ? { language: r.account_language } : {}),
      };
      yield p;
    }
  },
};
