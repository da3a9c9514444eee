import type { AccountProfile, Post, SourceAdapter, SourceOptions } from '../model.js';
import { emptyPost } from '../model.js';
import { hashtagsIn, mentionsIn, normaliseUrl, urlsIn } from '../normalise.js';
import { snowflakeTime } from '../snowflake.js';
import { arr, clientName, isObject, jsonValues, num, obj, str, type JsonObject } from './json-values.js';

function v2Profile(u: JsonObject): AccountProfile {
  const p: AccountProfile = {};
  const created = str(u.created_at);
  if (created && Number.isFinite(Date.parse(created))) p.createdAt = Date.parse(created);
  const m = obj(u.public_metrics);
  const followers = num(m.followers_count);
  if (followers !== undefined) p.followers = followers;
  const following = num(m.following_count);
  if (following !== undefined) p.following = following;
  const statuses = num(m.tweet_count);
  if (statuses !== undefined) p.statuses = statuses;
  if (typeof u.verified === 'boolean') p.verified = u.verified;
  const name = str(u.name);
  if (name) p.name = name;
  const description = str(u.description);
  if (description) p.description = description;
  const location = str(u.location);
  if (location) p.location = location;
  // v2 has no default_profile flag; a missing profile image URL or the stock one says the same.
  const image = str(u.profile_image_url);
  if (image !== undefined) p.defaultImage = /default_profile_images/.test(image);
  return p;
}

interface Includes {
  users: Map<string, JsonObject>;
  tweets: Map<string, JsonObject>;
  media: Map<string, JsonObject>;
}

function indexIncludes(inc: JsonObject): Includes {
  const byId = (list: unknown, key = 'id') => new Map(arr(list).filter(isObject).map((o) => [str(o[key]) ?? '', o]));
  return { users: byId(inc.users), tweets: byId(inc.tweets), media: byId(inc.media, 'media_key') };
}

/** A v2 tweet object as a Post, with authors and referenced tweets looked up in `includes` (or embedded, as twarc2 flattens them). */
export function fromV2(t: JsonObject, inc: Includes): Post | undefined {
  const id = str(t.id);
  const account = str(t.author_id);
  if (!id || !account) return undefined;
  const created = str(t.created_at);
  const at = snowflakeTime(id) ?? (created ? Date.parse(created) : NaN);
  if (!Number.isFinite(at)) return undefined;
  const p = emptyPost(id, account, at);
  const author = isObject(t.author) ? t.author : inc.users.get(account);
  if (author) {
    const handle = str(author.username);
    if (handle) p.handle = handle;
    p.profile = v2Profile(author);
  }
  const text = str(t.text);
  if (text) p.text = text;
  const client = clientName(t.source);
  if (client) p.client = client;
  const accountOf = (tweetId: string) => str(inc.tweets.get(tweetId)?.author_id);
  for (const ref of arr(t.referenced_tweets).filter(isObject)) {
    const refId = str(ref.id);
    if (!refId) continue;
    const refAccount = str(obj(ref.author).id) ?? str(ref.author_id) ?? accountOf(refId);
    if (ref.type === 'retweeted') {
      p.kind = 'repost';
      p.repostOf = refId;
      if (refAccount) p.repostOfAccount = refAccount;
    } else if (ref.type === 'quoted') {
      if (p.kind !== 'repost') p.kind = 'quote';
      p.quoteOf = refId;
      if (refAccount) p.quoteOfAccount = refAccount;
    } else if (ref.type === 'replied_to') {
      if (p.kind === 'original') p.kind = 'reply';
      p.replyTo = refId;
      const ra = str(t.in_reply_to_user_id) ?? refAccount;
      if (ra) p.replyToAccount = ra;
    }
  }
  // Retweets carry truncated text and entities; the referenced tweet has them whole.
  const full = p.repostOf ? (inc.tweets.get(p.repostOf) ?? t) : t;
  const entities = obj(full.entities);
  const tags = arr(entities.hashtags).map((h) => str(obj(h).tag)?.toLowerCase()).filter((x): x is string => !!x);
  p.hashtags = tags.length ? [...new Set(tags)] : hashtagsIn(text ?? '');
  const mentions = arr(entities.mentions).map((m) => str(obj(m).username)?.toLowerCase()).filter((x): x is string => !!x);
  p.mentions = mentions.length ? [...new Set(mentions)] : mentionsIn(text ?? '');
  const urls = arr(entities.urls)
    .map((u) => {
      const o = obj(u);
      return str(o.unwound_url) ?? str(o.expanded_url) ?? str(o.url);
    })
    .filter((x): x is string => !!x);
  p.urls = [...new Set((urls.length ? urls : urlsIn(text ?? '')).map(normaliseUrl).filter(Boolean))];
  p.media = [
    ...new Set(
      arr(obj(full.attachments).media_keys)
        .map((k) => {
          const key = str(k);
          const m = key ? inc.media.get(key) : undefined;
          return str(m?.url) ?? key;
        })
        .filter((x): x is string => !!x),
    ),
  ];
  return p;
}

/** Twitter API v2 responses (`data` + `includes`), one page per line or concatenated, or twarc2-flattened tweets. */
export const twitterV2: SourceAdapter = {
  id: 'twitter-v2',
  title: 'Twitter API v2 JSON (data + includes)',
  async *read(path: string, options?: SourceOptions): AsyncGenerator<Post> {
    for await (const v of jsonValues(path)) {
      if (!isObject(v)) {
        options?.onSkip?.('not a JSON object');
        continue;
      }
      const inc = indexIncludes(obj(v.includes));
      const tweets = Array.isArray(v.data) ? v.data : isObject(v.data) ? [v.data] : 'author_id' in v ? [v] : [];
      if (!tweets.length) options?.onSkip?.('page without data');
      for (const t of tweets) {
        const p = isObject(t) ? fromV2(t, inc) : undefined;
        if (p) yield p;
        else options?.onSkip?.('tweet without id, author_id or time');
      }
    }
  },
};
