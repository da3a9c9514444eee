import type { AccountProfile, Post, SourceAdapter, SourceOptions } from '../model.js';
import { emptyPost } from '../model.js';
import { hashtagsIn, mentionsIn, normaliseUrl, urlsIn } from '../normalise.js';
import { snowflakeTime } from '../snowflake.js';
import { arr, clientName, isObject, jsonValues, num, obj, str, type JsonObject } from './json-values.js';

/** Stream notices that are not tweets (rate-limit counts, deletions, geo scrubs, withholdings, stall warnings). */
const NOTICES = ['limit', 'delete', 'scrub_geo', 'status_withheld', 'user_withheld', 'warning', 'disconnect', 'event'];

export function v1Profile(u: JsonObject): AccountProfile {
  const p: AccountProfile = {};
  const created = str(u.created_at);
  if (created) {
    const t = Date.parse(created);
    if (Number.isFinite(t)) p.createdAt = t;
  }
  const followers = num(u.followers_count);
  if (followers !== undefined) p.followers = followers;
  const following = num(u.friends_count);
  if (following !== undefined) p.following = following;
  const statuses = num(u.statuses_count);
  if (statuses !== undefined) p.statuses = statuses;
  if (typeof u.verified === 'boolean') p.verified = u.verified;
  if (typeof u.default_profile === 'boolean') p.defaultProfile = u.default_profile;
  if (typeof u.default_profile_image === 'boolean') p.defaultImage = u.default_profile_image;
  const name = str(u.name);
  if (name) p.name = name;
  const description = str(u.description);
  if (description) p.description = description;
  const location = str(u.location);
  if (location) p.location = location;
  return p;
}

/** Time of a v1.1 tweet: Snowflake id (ms) first, then timestamp_ms, then created_at (s). */
function timeOf(t: JsonObject, id: string): number | undefined {
  return snowflakeTime(id) ?? num(t.timestamp_ms) ?? (str(t.created_at) ? Date.parse(str(t.created_at) ?? '') : undefined);
}

/** A v1.1 status as a Post; undefined for notices and objects that are not tweets. */
export function fromV1(t: JsonObject): Post | undefined {
  if (NOTICES.some((k) => k in t) && !('id_str' in t)) return undefined;
  const id = str(t.id_str) ?? str(t.id);
  const user = obj(t.user);
  const account = str(user.id_str) ?? str(user.id);
  if (!id || !account) return undefined;
  const at = timeOf(t, id);
  if (at === undefined || !Number.isFinite(at)) return undefined;
  const p = emptyPost(id, account, at);
  const handle = str(user.screen_name);
  if (handle) p.handle = handle;
  p.profile = v1Profile(user);
  const ext = obj(t.extended_tweet);
  const text = str(ext.full_text) ?? str(t.full_text) ?? str(t.text);
  if (text) p.text = text;
  const client = clientName(t.source);
  if (client) p.client = client;

  const rt = t.retweeted_status;
  const quoted = t.quoted_status;
  const quotedId = str(t.quoted_status_id_str) ?? (isObject(quoted) ? str(quoted.id_str) : undefined);
  const replyTo = str(t.in_reply_to_status_id_str);
  if (isObject(rt)) {
    p.kind = 'repost';
    p.repostOf = str(rt.id_str) ?? str(rt.id);
    const ra = str(obj(rt.user).id_str);
    if (ra) p.repostOfAccount = ra;
  } else if (quotedId) {
    p.kind = 'quote';
    p.quoteOf = quotedId;
    const qa = isObject(quoted) ? str(obj(quoted.user).id_str) : undefined;
    if (qa) p.quoteOfAccount = qa;
  } else if (replyTo) {
    p.kind = 'reply';
  }
  if (replyTo) {
    p.replyTo = replyTo;
    const ra = str(t.in_reply_to_user_id_str);
    if (ra) p.replyToAccount = ra;
  }

  // A retweet's own entities are truncated at 140 characters; the retweeted status has them whole.
  const source = isObject(rt) ? rt : t;
  const sourceExt = obj(source.extended_tweet);
  const entities = obj(isObject(sourceExt.entities) ? sourceExt.entities : source.entities);
  const extEntities = obj(isObject(sourceExt.extended_entities) ? sourceExt.extended_entities : source.extended_entities);
  const tags = arr(entities.hashtags).map((h) => str(obj(h).text)?.toLowerCase()).filter((x): x is string => !!x);
  p.hashtags = tags.length ? [...new Set(tags)] : hashtagsIn(text ?? '');
  const mentions = arr(entities.user_mentions).map((m) => str(obj(m).screen_name)?.toLowerCase()).filter((x): x is string => !!x);
  p.mentions = mentions.length ? [...new Set(mentions)] : mentionsIn(text ?? '');
  const urls = arr(entities.urls)
    .map((u) => {
      const o = obj(u);
      return str(obj(o.unwound).url) ?? str(o.expanded_url) ?? str(o.url);
    })
    .filter((x): x is string => !!x);
  p.urls = [...new Set((urls.length ? urls : urlsIn(text ?? '')).map(normaliseUrl).filter(Boolean))];
  const media = arr(isObject(extEntities.media) || Array.isArray(extEntities.media) ? extEntities.media : entities.media)
    .map((m) => {
      const o = obj(m);
      return str(o.sha256) ?? str(o.media_url_https) ?? str(o.media_url) ?? str(o.id_str);
    })
    .filter((x): x is string => !!x);
  p.media = [...new Set(media)];
  return p;
}

/** Twitter API v1.1 statuses: JSON Lines from the streaming API, or arrays (search/timeline dumps). */
export const twitterV1: SourceAdapter = {
  id: 'twitter-v1',
  title: 'Twitter API v1.1 JSON (lines or array)',
  async *read(path: string, options?: SourceOptions): AsyncGenerator<Post> {
    for await (const v of jsonValues(path)) {
      const list = isObject(v) && Array.isArray(v.statuses) ? v.statuses : [v];
      for (const item of list) {
        const p = isObject(item) ? fromV1(item) : undefined;
        if (p) yield p;
        else options?.onSkip?.(isObject(item) && NOTICES.some((k) => k in item) ? `${NOTICES.find((k) => k in item)} notice` : 'not a tweet');
      }
    }
  },
};
