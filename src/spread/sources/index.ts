import type { Post, SourceAdapter, SourceOptions } from '../model.js';
import { cooRTweetCsv } from './coortweet.js';
import { genericPosts } from './generic.js';
import { ioArchiveCsv } from './io-archive.js';
import { csvHeader, peekText } from './open.js';
import { qutCsv } from './qut.js';
import { twitterV1 } from './twitter-v1.js';
import { twitterV2 } from './twitter-v2.js';

export const ADAPTERS: SourceAdapter[] = [twitterV1, twitterV2, ioArchiveCsv, qutCsv, cooRTweetCsv, genericPosts];

/** Which adapter reads this file, from its first bytes (JSON shape or CSV header), never from its name alone. */
export async function detectFormat(path: string): Promise<SourceAdapter> {
  const head = (await peekText(path, 65536)).trimStart();
  if (head.startsWith('{') || head.startsWith('[')) {
    if (/"includes"\s*:|"author_id"\s*:/.test(head)) return twitterV2;
    if (/"id_str"\s*:|"user"\s*:\s*\{|"(limit|delete)"\s*:/.test(head)) return twitterV1;
    return genericPosts;
  }
  const header = new Set(await csvHeader(path));
  if (header.has('tweetid') && header.has('userid')) return ioArchiveCsv;
  if (['message_id', 'user_id', 'repost_id', 'timestamp'].every((c) => header.has(c))) return qutCsv;
  if (header.has('account_id') && (header.has('object_id') || header.has('post_id')) && (header.has('timestamp_share') || header.has('timestamp')))
    return cooRTweetCsv;
  return genericPosts;
}

export function adapterById(id: string): SourceAdapter | undefined {
  return ADAPTERS.find((a) => a.id === id);
}

/** Posts of a file with the named adapter or the detected one. */
export async function* readPosts(path: string, format?: string, options?: SourceOptions): AsyncGenerator<Post> {
  const adapter = format ? adapterById(format) : await detectFormat(path);
  if (!adapter) throw new Error(`unknown post format "${format}"; use one of: ${ADAPTERS.map((a) => a.id).join(', ')}`);
  yield* adapter.read(path, options);
}
