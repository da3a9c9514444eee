/** One post from any platform or export, after its source adapter has read it. */
export type PostKind = 'original' | 'repost' | 'quote' | 'reply';

export interface AccountProfile {
  /** Account creation time, ms since the epoch. */
  createdAt?: number;
  followers?: number;
  following?: number;
  statuses?: number;
  verified?: boolean;
  defaultProfile?: boolean;
  defaultImage?: boolean;
  name?: string;
  description?: string;
  location?: string;
  language?: string;
}

export interface Post {
  id: string;
  /** Stable account id (user id); handles change, ids do not. */
  account: string;
  handle?: string;
  /** Time of the post, ms since the epoch (or since the source's own origin: only differences matter). */
  at: number;
  kind: PostKind;
  repostOf?: string;
  repostOfAccount?: string;
  quoteOf?: string;
  quoteOfAccount?: string;
  replyTo?: string;
  replyToAccount?: string;
  text?: string;
  /** Lower-cased, without '#'. */
  hashtags: string[];
  /** Lower-cased handles without '@'. */
  mentions: string[];
  /** Expanded and normalised (see normalise.ts). */
  urls: string[];
  /** Media hashes or ids as the source gives them (SHA-256 hex when the export has files). */
  media: string[];
  /** Web domains when the source gives them apart from URLs (CooRTweet's domain_id). */
  domains?: string[];
  client?: string;
  profile?: AccountProfile;
}

/** A source adapter: streams posts from one file, never loading it whole. */
export interface SourceAdapter {
  id: string;
  title: string;
  read(path: string, options?: SourceOptions): AsyncIterable<Post>;
}

export interface SourceOptions {
  /** Generic CSV/JSONL: post field -> column name (or dotted path in JSON). */
  mapping?: Partial<Record<GenericField, string>>;
  /** Counts what was skipped (limit/delete notices, rows without id or time). */
  onSkip?: (reason: string) => void;
}

export type GenericField =
  | 'id' | 'account' | 'handle' | 'at' | 'kind' | 'repostOf' | 'repostOfAccount' | 'quoteOf' | 'replyTo' | 'replyToAccount'
  | 'text' | 'hashtags' | 'mentions' | 'urls' | 'media' | 'client';

export function emptyPost(id: string, account: string, at: number): Post {
  return { id, account, at, kind: 'original', hashtags: [], mentions: [], urls: [], media: [] };
}
