import { describe, expect, it } from 'vitest';
import { describeCorpus } from './helpers/corpus.js';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Post } from '../src/spread/model.js';
import { detectFormat, readPosts } from '../src/spread/sources/index.js';
import { snowflakeTime } from '../src/spread/snowflake.js';
import { normaliseUrl } from '../src/spread/normalise.js';

const FIX = 'test/fixtures/spread/';
const SOCIAL = '../shared/corpus/social/';

async function all(path: string, format?: string, mapping?: Record<string, string>): Promise<{ posts: Post[]; skipped: string[] }> {
  const posts: Post[] = [];
  const skipped: string[] = [];
  for await (const p of readPosts(path, format, { onSkip: (r) => skipped.push(r), ...(mapping ? { mapping } : {}) })) posts.push(p);
  return { posts, skipped };
}

describe('Snowflake ids', () => {
  it('give the millisecond of a tweet whose created_at is known (Twitter docs example, 20:19:24 UTC)', () => {
    const t = snowflakeTime('1050118621198921728')!;
    expect(new Date(t).toISOString()).toBe('2018-10-10T20:19:24.211Z');
  });
  it('leave pre-Snowflake and non-numeric ids without a time', () => {
    expect(snowflakeTime('20')).toBeUndefined();
    expect(snowflakeTime('b2e5c3f1a0d94e7f8a6b')).toBeUndefined();
  });
});

describe('URL normalisation', () => {
  it('drops scheme, www, tracking parameters, fragments and trailing slashes', () => {
    expect(normaliseUrl('https://www.Example.com/leak/?utm_source=twitter&id=7#top')).toBe('example.com/leak?id=7');
    expect(normaliseUrl('http://example.com/leak')).toBe('example.com/leak');
  });
  it('keeps parameters that choose the page, and `s` outside twitter.com', () => {
    expect(normaliseUrl('https://twitter.com/a/status/1?s=20')).toBe('twitter.com/a/status/1');
    expect(normaliseUrl('https://search.example.org/?s=leak')).toBe('search.example.org?s=leak');
  });
});

describe('Twitter v1.1 JSON', () => {
  it('reads tweets, retweets, quotes and replies from JSON Lines and skips limit/delete notices', async () => {
    const { posts, skipped } = await all(FIX + 'twitter-v1.jsonl');
    expect(posts.map((p) => p.kind)).toEqual(['original', 'repost', 'quote', 'reply']);
    expect(skipped).toEqual(['limit notice', 'delete notice']);
    const [orig, rt, quote, reply] = posts as [Post, Post, Post, Post];
    expect(orig).toMatchObject({ id: '1050118621198921728', account: '6253282', handle: 'TwitterAPI', client: 'Twitter for iPhone', hashtags: ['macronleaks', 'leak'], urls: ['example.com/leak?id=7'] });
    expect(orig.at).toBe(Date.parse('2018-10-10T20:19:24.211Z'));
    expect(orig.profile).toMatchObject({ verified: true, followers: 6129794, createdAt: Date.parse('2007-05-23T06:01:13Z') });
    // The retweet's own entities are truncated; the retweeted status's extended_tweet has both hashtags and the URL.
    expect(rt).toMatchObject({ repostOf: '1050118621198921728', repostOfAccount: '6253282', client: 'IFTTT', hashtags: ['macronleaks', 'leak'], urls: ['example.com/leak?id=7'] });
    expect(rt.profile).toMatchObject({ defaultProfile: true, defaultImage: true });
    expect(quote).toMatchObject({ quoteOf: '1050118621198921728', quoteOfAccount: '6253282', mentions: ['twitterapi'], urls: ['twitter.com/TwitterAPI/status/1050118621198921728'], media: ['https://pbs.twimg.com/media/Dp1.jpg'] });
    expect(quote.text).toContain('budget-2017.pdf');
    expect(reply).toMatchObject({ replyTo: '1050118621198921728', replyToAccount: '6253282' });
  });

  it('reads a top-level array, and the same array gzipped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tamis-spread-'));
    const gz = join(dir, 'tweets.json.gz');
    writeFileSync(gz, gzipSync(readFileSync(FIX + 'twitter-v1-array.json')));
    for (const path of [FIX + 'twitter-v1-array.json', gz]) {
      expect((await detectFormat(path)).id).toBe('twitter-v1');
      const { posts, skipped } = await all(path);
      expect(posts.map((p) => [p.id, p.kind, p.hashtags.join()])).toEqual([
        ['1050119022965686272', 'repost', 'macronleaks'],
        ['1050116254725046272', 'original', 'macronleaks'],
      ]);
      expect(posts[0]!.urls).toEqual(['example.com/leak']);
      expect(skipped).toEqual(['limit notice']);
    }
  });
});

describe('Twitter v2 JSON', () => {
  it('joins data with includes: authors, referenced tweets, media, unwound URLs', async () => {
    expect((await detectFormat(FIX + 'twitter-v2.json')).id).toBe('twitter-v2');
    const { posts } = await all(FIX + 'twitter-v2.json');
    const [rt, reply] = posts as [Post, Post];
    expect(rt).toMatchObject({ kind: 'repost', account: '111', handle: 'jean38472910', repostOf: '1050118621198921728', repostOfAccount: '6253282', hashtags: ['macronleaks', 'leak'], urls: ['example.com/leak?id=7'] });
    expect(rt.profile).toMatchObject({ followers: 3, defaultImage: true, createdAt: Date.parse('2018-10-08T10:00:00Z') });
    expect(reply).toMatchObject({ kind: 'reply', replyTo: '1050118621198921728', replyToAccount: '6253282', urls: ['lemonde.fr/article'], media: ['https://pbs.twimg.com/media/Dp1.jpg'] });
    expect(reply.profile?.verified).toBe(true);
  });
});

describe('Information Operations archive CSV', () => {
  it('reads retweets, replies and list columns; Snowflake ids refine the minute-precision times', async () => {
    expect((await detectFormat(FIX + 'io-archive.csv')).id).toBe('io-archive');
    const { posts } = await all(FIX + 'io-archive.csv');
    expect(posts.map((p) => p.kind)).toEqual(['original', 'repost', 'reply']);
    expect(posts[0]).toMatchObject({ hashtags: ['macronleaks', 'leak'], urls: ['example.com/leak?id=7'], client: 'Twitter for iPhone' });
    expect(posts[0]!.at).toBe(Date.parse('2018-10-10T20:19:24.211Z'));
    expect(posts[1]).toMatchObject({ account: 'b2e5c3f1a0d94e7f8a6b', repostOf: '1050118621198921728', repostOfAccount: '6253282' });
    expect(posts[1]!.profile?.createdAt).toBe(Date.parse('2018-10-08T00:00:00Z'));
    expect(posts[2]).toMatchObject({ replyTo: '1050118621198921728', replyToAccount: '6253282' });
  });
});

describe('generic CSV / JSONL', () => {
  it('reads a Telegram export as JSON Lines with a mapping (text as entity list, unix time)', async () => {
    const { posts } = await all(FIX + 'telegram.jsonl', 'generic', { account: 'from_id', at: 'date_unixtime', media: 'photo' });
    expect(posts.map((p) => [p.id, p.account, p.at])).toEqual([
      ['101', 'channel1001', 1494016272000],
      ['102', 'user2002', 1494016300000],
    ]);
    expect(posts[0]!.urls).toEqual(['archive.org/details/EMLFiles?ref=tg']);
    expect(posts.every((p) => p.hashtags[0] === 'macronleaks')).toBe(true);
    expect(posts[1]!.media).toEqual(['photos/photo_1.jpg']);
  });
  it('reads a forum CSV with a mapping; zone-less dates are UTC', async () => {
    const { posts } = await all(FIX + 'forum.csv', 'generic', { id: 'post', account: 'author', at: 'posted', text: 'body', replyTo: 'parent' });
    expect(posts[0]).toMatchObject({ id: 'p1', account: 'anon1', at: Date.parse('2017-05-05T19:00:00Z'), urls: ['example.com/leak'], hashtags: ['leak'] });
    expect(posts[1]).toMatchObject({ kind: 'reply', replyTo: 'p1' });
  });
});

describeCorpus('shared social corpus formats', () => {
  it('QUT CSV with a byte-order mark: first column is message_id, times in seconds', async () => {
    expect((await detectFormat(SOCIAL + 'qut_coretweet_test_input.csv')).id).toBe('qut');
    const { posts } = await all(SOCIAL + 'qut_coretweet_test_input.csv');
    expect(posts).toHaveLength(15);
    expect(posts[1]).toMatchObject({ id: '1', account: 'uid1', handle: 'username1', kind: 'repost', repostOf: 'rtid0', at: 59000 });
  });
  it("QUT's sample data writes URLs as a Python list", async () => {
    const { posts } = await all(SOCIAL + 'qut_sample_data.csv');
    expect(posts).toHaveLength(100);
    expect(posts[1]!.urls).toEqual(['example.com/4', 'example.com/6']);
    expect(posts[1]!.at).toBe(Math.round(1606451170.518142 * 1000));
  });
  it('CooRTweet 4-column CSV (Russian sample): object_id read as the reposted post', async () => {
    expect((await detectFormat(SOCIAL + 'cooRTweet_russian_coord_tweets.csv')).id).toBe('coortweet');
    let n = 0;
    let first: Post | undefined;
    for await (const p of readPosts(SOCIAL + 'cooRTweet_russian_coord_tweets.csv')) {
      first ??= p;
      n++;
    }
    expect(n).toBe(35125);
    expect(first).toMatchObject({ id: '114e22f1b2b648528277b76f0b0224e7', account: '0fb4232d1b7b37069c13ee17579bd10e', kind: 'repost', repostOf: '85d2d12251a735ce05255061f7f231e2', at: 1623881091000 });
  });
});
