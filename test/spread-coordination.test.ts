import { describe, expect, it } from 'vitest';
import { describeCorpus } from './helpers/corpus.js';
import type { Post } from '../src/spread/model.js';
import { emptyPost } from '../src/spread/model.js';
import { PostSet, collectPosts } from '../src/spread/posts.js';
import { buildObjectTable, type ObjectKind } from '../src/spread/objects.js';
import { components, coordinationNetwork, type CoordinationMode } from '../src/spread/coordination.js';
import { readPosts } from '../src/spread/sources/index.js';

const SOCIAL = '../shared/corpus/social/';

function network(set: PostSet, kind: ObjectKind, mode: CoordinationMode, windowSeconds: number, minWeight: number, minParticipation = 1) {
  const net = coordinationNetwork(buildObjectTable(set, kind), set.accountIds.length, { kind, mode, windowSeconds, minWeight, minParticipation });
  const comps = components(net, set.accountIds.length);
  return { nodes: net.nodes.length, pairs: net.edges.length, directed: net.directedEdges, components: comps.length, largest: comps[0]?.length ?? 0, net, set };
}

function posts(rows: [id: string, account: string, seconds: number, fill: Partial<Post>][]): PostSet {
  const set = new PostSet();
  for (const [id, account, s, fill] of rows) set.add({ ...emptyPost(id, account, s * 1000), ...fill });
  return set.seal();
}

describeCorpus('QUT known answers (coordination-network-toolkit daa0e11)', () => {
  it('test fixture: co-retweet at 1 s has 2 nodes, at 60 s 6 nodes (self-loops excluded)', async () => {
    const set = await collectPosts([readPosts(SOCIAL + 'qut_coretweet_test_input.csv')]);
    expect(network(set, 'repost', 'qut', 1, 1).nodes).toBe(2);
    expect(network(set, 'repost', 'qut', 60, 1).nodes).toBe(6);
    expect(network(set, 'repost', 'qut', 1, 2).nodes).toBe(0);
  });

  it('CooRTweet Russian sample, co-retweet: the four figures QUT gives', async () => {
    const set = await collectPosts([readPosts(SOCIAL + 'cooRTweet_russian_coord_tweets.csv')]);
    expect(set.size).toBe(35085); // 40 repeated content ids: first row kept, as QUT's insert-or-ignore does
    expect(network(set, 'repost', 'qut', 10, 1)).toMatchObject({ nodes: 1525, pairs: 1092, components: 511, largest: 39 });
    expect(network(set, 'repost', 'qut', 10, 2)).toMatchObject({ nodes: 10, pairs: 5 });
    expect(network(set, 'repost', 'qut', 60, 1)).toMatchObject({ nodes: 3954, pairs: 6206, largest: 2786 });
    expect(network(set, 'repost', 'qut', 60, 2)).toMatchObject({ nodes: 97, pairs: 63 });
  });
});

describe('QUT semantics on hand-made posts', () => {
  it('window is inclusive, weights are directed, and a post counts once however many matches it has', () => {
    const set = posts([
      ['a1', 'A', 0, { kind: 'repost', repostOf: 'x' }],
      ['b1', 'B', 10, { kind: 'repost', repostOf: 'x' }], // gap exactly 10 s: inside a 10 s window
      ['b2', 'B', 5, { kind: 'repost', repostOf: 'x' }],
      ['a2', 'A', 100, { kind: 'repost', repostOf: 'y' }],
      ['b3', 'B', 111, { kind: 'repost', repostOf: 'y' }], // 11 s: outside
    ]);
    const { net } = network(set, 'repost', 'qut', 10, 1);
    expect(net.edges).toHaveLength(1);
    const e = net.edges[0]!;
    // A→B: a1 matched (by b1 and b2: once). B→A: b1 and b2 each matched by a1.
    const [ab, ba] = set.accountIds[e.a] === 'A' ? [e.weightAB, e.weightBA] : [e.weightBA, e.weightAB];
    expect([ab, ba]).toEqual([1, 2]);
    // With a minimum weight of 2 only B→A survives: a one-way edge.
    const strict = network(set, 'repost', 'qut', 10, 2);
    expect(strict.directed).toBe(1);
    expect(strict.nodes).toBe(2);
  });

  it('co-link counts a post with two shared URLs once, and ignores URLs inside reposts', () => {
    const set = posts([
      ['a1', 'A', 0, { urls: ['example.com/1', 'example.com/2'] }],
      ['b1', 'B', 1, { urls: ['example.com/1', 'example.com/2'] }],
      ['c1', 'C', 2, { kind: 'repost', repostOf: 'a1', urls: ['example.com/1'] }],
    ]);
    const { net } = network(set, 'url', 'qut', 60, 1);
    expect(net.edges).toHaveLength(1);
    expect([net.edges[0]!.weightAB, net.edges[0]!.weightBA]).toEqual([1, 1]);
    expect(net.edges[0]!.objects).toBe(2);
  });

  it('near-duplicate text links reworded copies but not unrelated posts', () => {
    const base = 'the leaked emails prove the campaign hid its offshore accounts from the regulator';
    const set = posts([
      ['a1', 'A', 0, { text: base }],
      ['b1', 'B', 20, { text: base + ' RT please' }],
      ['c1', 'C', 30, { text: 'lovely weather in lyon today, the market was full of cherries and bread' }],
    ]);
    const { net } = network(set, 'near-text', 'qut', 60, 1);
    expect(net.edges.map((e) => [set.accountIds[e.a], set.accountIds[e.b]])).toEqual([['A', 'B']]);
  });
});

describe('CooRTweet semantics on hand-made posts', () => {
  const rows: [string, string, number, Partial<Post>][] = [
    // A and B co-share x and y within 10 s; C shares x with them but has only one share in all.
    ['a1', 'A', 0, { kind: 'repost', repostOf: 'x' }],
    ['b1', 'B', 3, { kind: 'repost', repostOf: 'x' }],
    ['c1', 'C', 4, { kind: 'repost', repostOf: 'x' }],
    ['a2', 'A', 50, { kind: 'repost', repostOf: 'y' }],
    ['b2', 'B', 60, { kind: 'repost', repostOf: 'y' }],
    // D and E co-share z once each, and each has a second share far away in time.
    ['d1', 'D', 200, { kind: 'repost', repostOf: 'z' }],
    ['e1', 'E', 201, { kind: 'repost', repostOf: 'z' }],
    ['d2', 'D', 900, { kind: 'repost', repostOf: 'w' }],
    ['e2', 'E', 2000, { kind: 'repost', repostOf: 'w' }],
  ];
  it('drops accounts under min_participation, counts co-shares and distinct objects per pair', () => {
    const { net, set } = network(posts(rows), 'repost', 'coortweet', 10, 1, 2);
    const named = net.edges.map((e) => [set.accountIds[e.a], set.accountIds[e.b], e.weightAB, e.objects]);
    // C: one share only, pre-filtered. D–E: one co-shared post each, under min_participation 2.
    expect(named).toEqual([['A', 'B', 2, 2]]);
  });
  it('with min_participation 1 the pre-filter keeps C and the D–E pair', () => {
    const { net } = network(posts(rows), 'repost', 'coortweet', 10, 1, 1);
    expect(net.edges).toHaveLength(4); // A–B, A–C, B–C, D–E
  });
});
