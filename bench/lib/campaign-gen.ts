// A seeded 48-hour leak campaign on a Twitter-like platform, for bench/spread.ts: organic traffic,
// viral posts, news wires (with syndicated stories), fan bases and their hub accounts, bursts of
// people posting a popular link, planted coordinated networks (some run by bots, some by humans
// with human-looking profiles) and stand-alone bots. Ground truth comes with it.
import { Prng } from './prng.js';

export interface GenUser {
  id: string;
  handle: string;
  name: string;
  createdAt: number;
  followers: number;
  following: number;
  verified: boolean;
  defaultProfile: boolean;
  role: 'organic' | 'celebrity' | 'wire' | 'star' | 'fan-hub' | 'network' | 'bot';
  network?: number;
  bot: boolean;
  client: string;
}

export interface GenPost {
  ms: number;
  id: string;
  user: GenUser;
  kind: 'original' | 'repost' | 'reply' | 'quote';
  ref?: GenPost;
  text: string;
  hashtags: string[];
  urls: string[];
}

export interface Campaign {
  users: GenUser[];
  posts: GenPost[];
  networks: string[][];
  bots: string[];
  benignHighVolume: string[];
  start: number;
}

const EPOCH = 1288834974657n;
export const CAMPAIGN_START = Date.parse('2017-05-05T12:00:00Z');
const HOUR = 3_600_000;
const SPAN = 48 * HOUR;

export function generateCampaign(total = 200_000, seed = 2017): Campaign {
  const r = new Prng(seed);
  const rand = () => r.next();
  const users: GenUser[] = [];
  const posts: GenPost[] = [];
  let seq = 0;
  const idFor = (ms: number) => String(((BigInt(Math.round(ms)) - EPOCH) << 22n) | BigInt(seq++ & 0x3fffff));
  const words = 'leak mail campaign macron vote fake real document paris election truth media hack files read share now must see breaking news'.split(' ');
  const sentence = (n: number) => Array.from({ length: n }, () => r.pick(words)).join(' ');
  const lognormal = (median: number, sigma: number) => median * Math.exp(sigma * Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()));
  // Diurnal activity: fewer posts at night (UTC+2).
  const diurnal = (): number => {
    for (;;) {
      const t = CAMPAIGN_START + rand() * SPAN;
      const h = (new Date(t).getUTCHours() + 2) % 24;
      if (rand() < (h >= 1 && h < 7 ? 0.2 : 1)) return t;
    }
  };
  const clip = (t: number) => Math.min(CAMPAIGN_START + SPAN - 1, t);
  const handleHuman = () => `${r.pick(['marie', 'jean', 'luc', 'anne', 'paul', 'sophie', 'max', 'lea', 'tom', 'julie'])}_${r.pick(['dupont', 'martin', 'b', 'paris', 'lyon', 'dev', 'photo', 'info'])}${r.int(0, 99)}`;
  const handleBot = () => (rand() < 0.5 ? `${r.pick(['jean', 'marie', 'patriot', 'france'])}${r.int(10_000_000, 99_999_999)}` : Array.from({ length: 10 }, () => r.pick([...'bcdfghjklmnpqrstvwxz0123456789'])).join(''));
  const user = (role: GenUser['role'], extra: Partial<GenUser> = {}): GenUser => {
    const bot = extra.bot ?? role === 'bot';
    const u: GenUser = {
      id: String(1_000_000 + users.length),
      handle: bot ? handleBot() : handleHuman(),
      name: bot ? `User ${r.int(1000, 9999)}` : 'A person',
      createdAt: bot ? CAMPAIGN_START - r.int(1, 20) * 24 * HOUR : CAMPAIGN_START - r.int(200, 3000) * 24 * HOUR,
      followers: bot ? r.int(0, 30) : r.int(20, 3000),
      following: bot ? r.int(300, 2000) : r.int(50, 800),
      verified: false,
      defaultProfile: bot,
      role,
      bot,
      client: bot ? r.pick(['IFTTT', 'twittbot.net', 'Botize']) : r.pick(['Twitter for iPhone', 'Twitter for Android', 'Twitter Web Client']),
      ...extra,
    };
    users.push(u);
    return u;
  };
  const post = (u: GenUser, ms: number, kind: GenPost['kind'], fill: Partial<GenPost> = {}): GenPost => {
    const p: GenPost = { ms, id: idFor(ms), user: u, kind, text: '', hashtags: [], urls: [], ...fill };
    if (!p.text) p.text = kind === 'repost' && p.ref ? `RT @${p.ref.user.handle}: ${p.ref.text}` : sentence(8 + r.int(0, 10));
    posts.push(p);
    return p;
  };

  const organic = Array.from({ length: 25_000 }, () => user('organic'));
  const originals: GenPost[] = [];
  for (const u of organic) {
    const n = 1 + Math.floor(-Math.log(1 - rand()) * 1.2);
    for (let i = 0; i < n; i++) {
      const tags = rand() < 0.4 ? ['macronleaks'] : rand() < 0.2 ? ['presidentielle2017'] : [];
      originals.push(post(u, diurnal(), 'original', { hashtags: tags, urls: rand() < 0.15 ? [`https://www.news${r.int(1, 40)}.example/article/${r.int(1, 3000)}`] : [] }));
    }
  }
  originals.sort((a, b) => a.ms - b.ms);
  const earlier = (t: number): GenPost | undefined => {
    // a random original posted before t, skewed to recent ones
    let lo = 0;
    let hi = originals.length;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (originals[m]!.ms < t) lo = m + 1;
      else hi = m;
    }
    if (lo === 0) return undefined;
    return originals[Math.max(0, lo - 1 - Math.floor(rand() ** 2 * Math.min(lo, 5000)))];
  };
  // Organic reposts and replies.
  for (const u of organic) {
    const n = Math.floor(-Math.log(1 - rand()) * 1.6);
    for (let i = 0; i < n; i++) {
      const t = diurnal();
      const target = earlier(t);
      if (!target || target.user === u) continue;
      post(u, t, rand() < 0.8 ? 'repost' : 'reply', { ref: target, hashtags: target.hashtags });
    }
  }
  // Viral posts from celebrities.
  const celebrities = Array.from({ length: 20 }, () => user('celebrity', { verified: true, followers: r.int(300_000, 3_000_000), client: 'Twitter for iPhone' }));
  for (const c of celebrities) {
    const root = post(c, CAMPAIGN_START + rand() * (SPAN - 6 * HOUR), 'original', { hashtags: ['macronleaks'] });
    const n = r.int(1500, 3000);
    const seen = new Set<GenUser>();
    for (let i = 0; i < n; i++) {
      const u = r.pick(organic);
      if (seen.has(u)) continue;
      seen.add(u);
      post(u, clip(root.ms + lognormal(90_000, 1.3)), 'repost', { ref: root, hashtags: root.hashtags });
    }
  }
  // News wires, some stories syndicated by several wires within minutes.
  const wires = Array.from({ length: 10 }, (_, k) => user('wire', { handle: `wire${k}news`, verified: true, followers: r.int(200_000, 2_000_000), client: r.pick(['SocialFlow', 'Echobox', 'TweetDeck']), createdAt: CAMPAIGN_START - 3000 * 24 * HOUR }));
  for (const w of wires) {
    let t = CAMPAIGN_START + rand() * 10 * 60_000;
    let n = 0;
    while (t < CAMPAIGN_START + SPAN) {
      post(w, t, 'original', { text: `${sentence(10)} via @${w.handle}`, urls: [`https://www.${w.handle}.example/story/${n++}?utm_source=twitter&utm_medium=social`], hashtags: rand() < 0.3 ? ['macronleaks'] : [] });
      t += lognormal(14 * 60_000, 0.4);
    }
  }
  for (let s = 0; s < 120; s++) {
    const t = CAMPAIGN_START + rand() * SPAN;
    const url = `https://apnews.example/article/${s}`;
    const headline = sentence(9);
    for (const w of wires) if (rand() < 0.3) post(w, clip(t + rand() * 8 * 60_000), 'original', { text: headline, urls: [url] });
  }
  // Fan bases: stars, their fans (ordinary accounts) and high-volume fan hubs.
  for (let s = 0; s < 3; s++) {
    const star = user('star', { verified: true, followers: r.int(1_000_000, 9_000_000), client: 'Twitter for iPhone' });
    const fans = Array.from({ length: 400 }, () => r.pick(organic));
    const hubs = Array.from({ length: 2 }, (_, k) => user('fan-hub', { handle: `${star.handle}_fans${k}`, followers: r.int(50_000, 300_000) }));
    for (let i = 0; i < 30; i++) {
      const root = post(star, diurnal(), 'original', { hashtags: ['fanday'] });
      for (const f of fans) if (rand() < 0.35) post(f, clip(root.ms + lognormal(6 * 60_000, 1.3)), 'repost', { ref: root, hashtags: root.hashtags });
      for (const h of hubs) post(h, clip(root.ms + lognormal(3 * 60_000, 1.2)), 'repost', { ref: root, hashtags: root.hashtags });
    }
    for (const h of hubs)
      for (let i = 0; i < 250; i++) {
        const t = diurnal();
        const target = earlier(t);
        if (target) post(h, t, 'repost', { ref: target, hashtags: target.hashtags });
      }
  }
  // Bursts of ordinary people posting a popular link, many with the share button's prefilled text.
  for (let l = 0; l < 10; l++) {
    const t0 = diurnal();
    const url = `https://www.lemonde.example/politique/article-${l}.html?utm_campaign=share`;
    const headline = sentence(10);
    for (let i = 0; i < 400; i++) post(r.pick(organic), clip(t0 + -Math.log(1 - rand()) * 4 * 60_000), 'original', { text: rand() < 0.5 ? headline : sentence(7), urls: [url] });
  }
  // Planted networks: a seed posts campaign material; members amplify it within seconds.
  const sizes = [12, 20, 35, 50, 80];
  const networks: string[][] = [];
  const networkUsers: GenUser[] = [];
  const viralRoots = posts.filter((p) => p.user.role === 'celebrity' && p.kind === 'original');
  sizes.forEach((size, k) => {
    const bots = k % 2 === 0;
    const members = Array.from({ length: size }, () => user('network', { network: k, bot: bots, ...(bots ? {} : { client: r.pick(['Twitter for Android', 'Twitter for iPhone']) }) }));
    networks.push(members.map((m) => m.id));
    networkUsers.push(...members);
    const seedUser = members[0]!;
    for (let i = 0; i < 40; i++) {
      const root = post(seedUser, diurnal(), 'original', { hashtags: ['macronleaks'], urls: [`https://leak-mirror${k}.example/docs/file${i}.pdf`] });
      for (const m of members.slice(1)) if (rand() < 0.6) post(m, clip(root.ms + 2000 + rand() * 43_000), 'repost', { ref: root, hashtags: root.hashtags });
    }
    for (let i = 0; i < 15; i++) {
      const t = diurnal();
      const base = `${sentence(12)} https://leak-mirror${k}.example/dossier${i}`;
      for (const m of members) if (rand() < 0.4) post(m, clip(t + rand() * 50_000), 'original', { text: rand() < 0.5 ? base : `${base} ${r.pick(words)}`, urls: [`https://leak-mirror${k}.example/dossier${i}`], hashtags: ['macronleaks'] });
    }
    for (const m of members) {
      for (let i = 0; i < 15; i++) {
        const t = diurnal();
        const target = earlier(t);
        if (target) post(m, t, 'repost', { ref: target, hashtags: target.hashtags });
      }
      for (const v of viralRoots) if (rand() < 0.2) post(m, clip(v.ms + lognormal(90_000, 1.3)), 'repost', { ref: v, hashtags: v.hashtags });
    }
  });
  // Stand-alone bots: high volume, around the clock, reposting whatever is there.
  const loneBots = Array.from({ length: 60 }, () => user('bot'));
  for (const b of loneBots) {
    const n = r.int(250, 450);
    for (let i = 0; i < n; i++) {
      const t = CAMPAIGN_START + rand() * SPAN;
      const target = rand() < 0.8 ? earlier(t) : undefined;
      if (target) post(b, t, 'repost', { ref: target, hashtags: target.hashtags });
      else post(b, t, 'original', { hashtags: ['macronleaks'] });
    }
  }
  // Fill to the requested size with organic originals and reposts.
  while (posts.length < total) {
    const u = r.pick(organic);
    const t = diurnal();
    const target = rand() < 0.5 ? earlier(t) : undefined;
    if (target && target.user !== u) post(u, t, 'repost', { ref: target, hashtags: target.hashtags });
    else post(u, t, 'original', { hashtags: rand() < 0.3 ? ['macronleaks'] : [] });
  }
  posts.length = total;
  posts.sort((a, b) => a.ms - b.ms);
  return {
    users,
    posts,
    networks,
    bots: [...networkUsers.filter((u) => u.bot), ...loneBots].map((u) => u.id),
    benignHighVolume: users.filter((u) => u.role === 'wire' || u.role === 'fan-hub' || u.role === 'celebrity' || u.role === 'star').map((u) => u.id),
    start: CAMPAIGN_START,
  };
}

const twitterDate = (ms: number) => {
  const d = new Date(ms);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000 ${d.getUTCFullYear()}`;
};

function v1User(u: GenUser) {
  return { id_str: u.id, screen_name: u.handle, name: u.name, created_at: twitterDate(u.createdAt), followers_count: u.followers, friends_count: u.following, verified: u.verified, default_profile: u.defaultProfile, default_profile_image: u.defaultProfile };
}

function v1Status(p: GenPost): Record<string, unknown> {
  const entities = { hashtags: p.hashtags.map((text) => ({ text })), urls: p.urls.map((u, i) => ({ url: `https://t.co/${p.id.slice(-6)}${i}`, expanded_url: u })), user_mentions: [] };
  const s: Record<string, unknown> = { created_at: twitterDate(p.ms), id_str: p.id, text: p.text, source: `<a href="https://example.org" rel="nofollow">${p.user.client}</a>`, user: v1User(p.user), entities };
  if (p.kind === 'repost' && p.ref) s.retweeted_status = v1Status(p.ref);
  if (p.kind === 'reply' && p.ref) {
    s.in_reply_to_status_id_str = p.ref.id;
    s.in_reply_to_user_id_str = p.ref.user.id;
  }
  return s;
}

/** Twitter API v1.1 JSON Lines, with a rate-limit notice every 10,000 tweets as the streaming API sends. */
export function* v1Lines(c: Campaign): Generator<string> {
  let i = 0;
  for (const p of c.posts) {
    if (++i % 10_000 === 0) yield JSON.stringify({ limit: { track: i, timestamp_ms: String(p.ms) } });
    yield JSON.stringify(v1Status(p));
  }
}

const IO_HEADER = 'tweetid,userid,user_display_name,user_screen_name,user_reported_location,user_profile_description,user_profile_url,follower_count,following_count,account_creation_date,account_language,tweet_language,tweet_text,tweet_time,tweet_client_name,in_reply_to_userid,in_reply_to_tweetid,quoted_tweet_tweetid,is_retweet,retweet_userid,retweet_tweetid,latitude,longitude,quote_count,reply_count,like_count,retweet_count,hashtags,urls,user_mentions,poll_choices';
const q = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** The Information Operations archive layout (minute-precision tweet_time; Snowflake ids carry the rest). */
export function* ioLines(c: Campaign): Generator<string> {
  yield IO_HEADER;
  for (const p of c.posts) {
    const u = p.user;
    const iso = new Date(p.ms).toISOString();
    yield [
      p.id, u.id, q(u.name), u.handle, '', '', '', u.followers, u.following, iso.slice(0, 10).replace(/.*/, new Date(u.createdAt).toISOString().slice(0, 10)), 'fr', 'fr', q(p.text), `${iso.slice(0, 10)} ${iso.slice(11, 16)}`, q(u.client),
      p.kind === 'reply' && p.ref ? p.ref.user.id : '', p.kind === 'reply' && p.ref ? p.ref.id : '', '', p.kind === 'repost' ? 'True' : 'False', p.kind === 'repost' && p.ref ? p.ref.user.id : '', p.kind === 'repost' && p.ref ? p.ref.id : '',
      'absent', 'absent', 0, 0, 0, 0, q(`[${p.hashtags.join(', ')}]`), q(`[${p.urls.join(', ')}]`), '[]', '',
    ].join(',');
  }
}
