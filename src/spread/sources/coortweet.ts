import type { Post, SourceAdapter, SourceOptions } from '../model.js';
import { emptyPost } from '../model.js';
import { csvRows } from './open.js';

/**
 * CooRTweet's input tables. The 4-column form (object_id, account_id, content_id, timestamp_share in
 * seconds) says "account shared object in content": read as a repost of object_id, which is what
 * CooRTweet's Russian sample holds (retweets of tweets). The wide form of its German elections set
 * (account_id, post_id, url_id, hashtag_id, domain_id, phash_id, timestamp) names each shared object
 * by an opaque id in its own column: URL, hashtag, web domain, image perceptual hash.
 */
export const cooRTweetCsv: SourceAdapter = {
  id: 'coortweet',
  title: 'CooRTweet CSV (object_id, account_id, content_id, timestamp_share; or the wide post_id/url_id/... form)',
  async *read(path: string, options?: SourceOptions): AsyncGenerator<Post> {
    for await (const r of csvRows(path)) {
      const seconds = Number(r.timestamp_share ?? r.timestamp);
      const account = r.account_id ?? r.id_account ?? '';
      const id = r.content_id ?? r.post_id ?? '';
      if (!id || !account || !Number.isFinite(seconds)) {
        options?.onSkip?.('row without content_id/post_id, account_id or numeric timestamp');
        continue;
      }
      const p = emptyPost(id, account, Math.round(seconds * 1000));
      if (r.object_id !== undefined) {
        if (!r.object_id) {
          options?.onSkip?.('row without object_id');
          continue;
        }
        p.kind = 'repost';
        p.repostOf = r.object_id;
      } else {
        if (r.url_id) p.urls = [r.url_id];
        if (r.hashtag_id) p.hashtags = [r.hashtag_id];
        if (r.domain_id) p.domains = [r.domain_id];
        if (r.phash_id) p.media = [r.phash_id];
      }
      yield p;
    }
  },
};
