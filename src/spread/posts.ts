import type { Post } from './model.js';

/**
 * The posts of an analysis, one per id, with accounts numbered for typed-array work.
 * A repeated id keeps its first row (as QUT's `insert or ignore` does) and gains the later rows'
 * URLs, hashtags, domains and media (CooRTweet's wide tables give one row per shared object).
 */
export class PostSet {
  readonly posts: Post[] = [];
  readonly accountIds: string[] = [];
  /** Account number of each post, parallel to `posts`. */
  accountOf: Int32Array = new Int32Array(0);
  private readonly byId = new Map<string, number>();
  private readonly accountIndex = new Map<string, number>();
  private accounts: number[] = [];
  duplicates = 0;

  add(p: Post): void {
    const seen = this.byId.get(p.id);
    if (seen !== undefined) {
      this.duplicates++;
      const first = this.posts[seen];
      if (first && first.account === p.account) {
        const merge = (a: string[], b: string[]) => (b.length ? [...new Set([...a, ...b])] : a);
        first.urls = merge(first.urls, p.urls);
        first.hashtags = merge(first.hashtags, p.hashtags);
        first.media = merge(first.media, p.media);
        if (p.domains) first.domains = merge(first.domains ?? [], p.domains);
      }
      return;
    }
    this.byId.set(p.id, this.posts.length);
    this.posts.push(p);
    let a = this.accountIndex.get(p.account);
    if (a === undefined) {
      a = this.accountIds.length;
      this.accountIndex.set(p.account, a);
      this.accountIds.push(p.account);
    }
    this.accounts.push(a);
  }

  /** Call once all posts are in. */
  seal(): this {
    this.accountOf = Int32Array.from(this.accounts);
    this.accounts = [];
    return this;
  }

  indexOf(id: string): number | undefined {
    return this.byId.get(id);
  }
  accountNumber(id: string): number | undefined {
    return this.accountIndex.get(id);
  }
  get size(): number {
    return this.posts.length;
  }
}

export async function collectPosts(sources: AsyncIterable<Post>[]): Promise<PostSet> {
  const set = new PostSet();
  for (const s of sources) for await (const p of s) set.add(p);
  return set.seal();
}
