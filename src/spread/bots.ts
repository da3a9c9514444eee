import type { Post } from './model.js';
import { textHash } from './normalise.js';
import type { PostSet } from './posts.js';

/**
 * Bot-likeness is never a verdict: each signal below is a reason a reader can check, with what
 * would explain it innocently. The score only orders accounts for a human to look at.
 */
export interface SignalMeta {
  id: string;
  title: string;
  weight: number;
  /** What else would explain it. */
  innocent: string;
}

export const SIGNALS: Record<string, SignalMeta> = {
  'volume-oii': { id: 'volume-oii', title: 'more than 50 posts a day (Oxford Internet Institute threshold)', weight: 0.15, innocent: 'news wires, live-tweeting, very active people' },
  'volume-dfrlab': { id: 'volume-dfrlab', title: 'more than 72 posts a day (DFRLab threshold)', weight: 0.1, innocent: 'news wires and aggregators post this much' },
  'repost-share': { id: 'repost-share', title: 'almost only reposts', weight: 0.1, innocent: 'fans and amplifying supporters mostly repost' },
  'young-account': { id: 'young-account', title: 'account created shortly before its first post here', weight: 0.15, innocent: 'people join to follow a breaking story' },
  'default-profile': { id: 'default-profile', title: 'default profile (theme, picture)', weight: 0.1, innocent: 'many real users never customise' },
  'digit-handle': { id: 'digit-handle', title: 'handle ends in a long run of digits', weight: 0.1, innocent: 'a platform-suggested handle kept by a real user' },
  'random-handle': { id: 'random-handle', title: 'handle looks random', weight: 0.1, innocent: 'pseudonymous users pick odd handles' },
  'automation-client': { id: 'automation-client', title: 'posts through an automation service', weight: 0.15, innocent: 'publishers schedule posts (and say so)' },
  'bursts': { id: 'bursts', title: 'posts in bursts seconds apart', weight: 0.1, innocent: 'thread posting, batch retweeting by a human' },
  'metronome': { id: 'metronome', title: 'posts at regular intervals', weight: 0.1, innocent: 'scheduled publishing of a newsroom' },
  'around-the-clock': { id: 'around-the-clock', title: 'active in nearly every hour of the day', weight: 0.15, innocent: 'shared or team-run accounts, news wires' },
  'identical-text': { id: 'identical-text', title: 'posts text that other accounts post word for word', weight: 0.15, innocent: 'share buttons prefill headlines; petitions' },
};

export const BENIGN: Record<string, SignalMeta> = {
  verified: { id: 'verified', title: 'verified account', weight: -0.3, innocent: '' },
  audience: { id: 'audience', title: 'large audience (≥ 100,000 followers)', weight: -0.2, innocent: '' },
  'news-wire': { id: 'news-wire', title: 'publishes its own posts with links, not reposts (news-wire pattern)', weight: -0.25, innocent: '' },
  'fan-base': { id: 'fan-base', title: 'reposts concentrate on one account (a fan base or an official amplifier)', weight: 0, innocent: '' },
};

const AUTOMATION = /\b(ifttt|dlvr\.?it|twittbot|botize|zapier|twitterfeed|roundteam|autotweet|tweetadder|make\.com|integromat|buffer bot|python|tweepy|bot)\b/i;
const PUBLISHER = /\b(socialflow|sprinklr|hootsuite|buffer|echobox|tweetdeck|sprout social|wordpress|falcon|later\.com|publer)\b/i;
const DAY = 86_400_000;

export interface AccountSignals {
  account: number;
  botLikeness: number;
  signals: { id: string; why: string }[];
  benign: { id: string; why: string }[];
  posts: number;
  perDay: number;
}

function entropyPerChar(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return h;
}

/** Random-looking: 8+ characters, letters and digits mixed, and a run of 4+ consonants or high entropy with no vowel pairs. */
export function looksRandom(handle: string): boolean {
  const h = handle.toLowerCase();
  if (h.length < 8 || !/^[a-z0-9_]+$/.test(h)) return false;
  const digits = (h.match(/\d/g) ?? []).length;
  if (digits === 0 || digits === h.length) return false;
  if (/\d{4,}$/.test(h)) return false; // a digit tail is its own signal
  const interleaved = (h.match(/[a-z]\d|\d[a-z]/g) ?? []).length >= 3;
  return interleaved && (/[bcdfghjklmnpqrstvwxz]{4,}/.test(h.replace(/\d/g, '')) || entropyPerChar(h) > 2.9);
}

export function botSignals(set: PostSet): AccountSignals[] {
  const n = set.accountIds.length;
  const postsOf: number[][] = Array.from({ length: n }, () => []);
  let first = Infinity;
  let last = -Infinity;
  set.posts.forEach((p, i) => {
    postsOf[set.accountOf[i]!]!.push(i);
    if (p.at < first) first = p.at;
    if (p.at > last) last = p.at;
  });
  const spanDays = Math.max(1, (last - first) / DAY);
  // Identical text: originals whose normalised text ≥ 3 accounts post.
  const textAccounts = new Map<string, Set<number>>();
  const hashes: (string | undefined)[] = set.posts.map((p, i) => {
    if (p.kind === 'repost' || !p.text || p.text.length < 20) return undefined;
    const h = textHash(p.text.replace(/https?:\/\/\S+/g, ''));
    if (!h) return undefined;
    let s = textAccounts.get(h);
    if (!s) textAccounts.set(h, (s = new Set()));
    s.add(set.accountOf[i]!);
    return h;
  });

  const out: AccountSignals[] = [];
  for (let a = 0; a < n; a++) {
    const idx = postsOf[a]!;
    const count = idx.length;
    // One pass over the account's posts for everything the signals need.
    let reposts = 0;
    let originalsWithLinks = 0;
    let firstAt = Infinity;
    let handle: string | undefined;
    let profile: Post['profile'];
    let profileAt = -Infinity;
    let clients: Map<string, number> | undefined;
    let repostedAccounts: Map<string, number> | undefined;
    const times: number[] = [];
    for (const i of idx) {
      const p = set.posts[i]!;
      times.push(p.at);
      if (p.at < firstAt) firstAt = p.at;
      if (p.kind === 'repost') {
        reposts++;
        if (p.repostOfAccount) (repostedAccounts ??= new Map()).set(p.repostOfAccount, (repostedAccounts.get(p.repostOfAccount) ?? 0) + 1);
      } else if (p.kind === 'original' && p.urls.length > 0) originalsWithLinks++;
      handle ??= p.handle;
      if (p.profile && p.at > profileAt) {
        profile = p.profile;
        profileAt = p.at;
      }
      if (p.client) (clients ??= new Map()).set(p.client, (clients.get(p.client) ?? 0) + 1);
    }
    const signals: { id: string; why: string }[] = [];
    const benign: { id: string; why: string }[] = [];
    const perDay = count / spanDays;
    if (handle) {
      const tail = /(\d{4,})$/.exec(handle);
      if (tail) signals.push({ id: 'digit-handle', why: `@${handle} ends in ${tail[1]!.length} digits` });
      else if (looksRandom(handle)) signals.push({ id: 'random-handle', why: `@${handle} mixes letters and digits at random` });
    }
    if (count < 3 && !profile && !clients) {
      // Two posts say nothing about volume, timing or automation; only the handle can.
      out.push(finishAccount(a, signals, benign, count, perDay));
      continue;
    }
    if (perDay > 50) signals.push({ id: 'volume-oii', why: `${perDay.toFixed(0)} posts a day over the ${spanDays.toFixed(1)} days observed (> 50)` });
    if (perDay > 72) signals.push({ id: 'volume-dfrlab', why: `${perDay.toFixed(0)} posts a day (> 72)` });
    const repostShare = reposts / count;
    if (count >= 10 && repostShare >= 0.9) signals.push({ id: 'repost-share', why: `${(repostShare * 100).toFixed(0)}% of ${count} posts are reposts` });
    if (profile?.createdAt !== undefined) {
      const ageDays = (firstAt - profile.createdAt) / DAY;
      if (ageDays >= 0 && ageDays < 30) signals.push({ id: 'young-account', why: `created ${ageDays.toFixed(1)} days before its first post here` });
    }
    if (profile?.defaultProfile || profile?.defaultImage)
      signals.push({ id: 'default-profile', why: [profile.defaultProfile ? 'default profile' : '', profile.defaultImage ? 'default picture' : ''].filter(Boolean).join(' and ') });
    if (clients) {
      const auto = [...clients].filter(([c]) => AUTOMATION.test(c) && !PUBLISHER.test(c));
      const autoPosts = auto.reduce((s, [, k]) => s + k, 0);
      if (autoPosts > 0 && autoPosts / count >= 0.5) signals.push({ id: 'automation-client', why: `${autoPosts} of ${count} posts via ${auto.map(([c]) => c).join(', ')}` });
    }
    if (times.length >= 10) {
      times.sort((x, y) => x - y);
      const gaps = times.length - 1;
      let quickGaps = 0;
      let sum = 0;
      let sum2 = 0;
      for (let g = 1; g < times.length; g++) {
        const d = times[g]! - times[g - 1]!;
        if (d <= 2000) quickGaps++;
        sum += d;
        sum2 += d * d;
      }
      const quick = quickGaps / gaps;
      if (quick >= 0.3) signals.push({ id: 'bursts', why: `${(quick * 100).toFixed(0)}% of gaps between posts are 2 s or less` });
      const mean = sum / gaps;
      const sd = Math.sqrt(Math.max(0, sum2 / gaps - mean * mean));
      const B = (sd - mean) / (sd + mean || 1); // Goh–Barabási burstiness: −1 periodic, 0 random, 1 bursty
      if (B < -0.6 && mean > 5000) signals.push({ id: 'metronome', why: `posts every ~${(mean / 60000).toFixed(1)} min with little variation (burstiness ${B.toFixed(2)})` });
    }
    if (times.length >= 48 && last - first >= DAY) {
      let mask = 0;
      for (const t of times) mask |= 1 << Math.floor((t % DAY) / 3_600_000);
      let hours = 0;
      for (let h = 0; h < 24; h++) if (mask & (1 << h)) hours++;
      if (hours >= 22) signals.push({ id: 'around-the-clock', why: `posts in ${hours} of the 24 hours of the day` });
    }
    let own = 0;
    let shared = 0;
    for (const i of idx) {
      const h = hashes[i];
      if (!h) continue;
      own++;
      if ((textAccounts.get(h)?.size ?? 0) >= 3) shared++;
    }
    const sharedShare = shared / Math.max(1, own);
    if (shared >= 3 && sharedShare >= 0.3) signals.push({ id: 'identical-text', why: `${shared} of its ${own} original texts are posted word for word by 2 or more other accounts` });

    if (profile?.verified) benign.push({ id: 'verified', why: 'verified account' });
    if ((profile?.followers ?? 0) >= 100_000) benign.push({ id: 'audience', why: `${profile!.followers!.toLocaleString('en')} followers` });
    if (count >= 20 && originalsWithLinks / count >= 0.7 && sharedShare < 0.3)
      benign.push({ id: 'news-wire', why: `${originalsWithLinks} of ${count} posts are its own, with links${clients ? ` (${[...clients.keys()].slice(0, 2).join(', ')})` : ''}` });
    if (reposts >= 10 && repostedAccounts) {
      const top = [...repostedAccounts].sort((x, y) => y[1] - x[1])[0];
      if (top && top[1] / reposts >= 0.6) benign.push({ id: 'fan-base', why: `${top[1]} of ${reposts} reposts are of account ${top[0]}` });
    }
    out.push(finishAccount(a, signals, benign, count, perDay));
  }
  return out.sort((x, y) => y.botLikeness - x.botLikeness || y.signals.length - x.signals.length || y.posts - x.posts);
}

function finishAccount(account: number, signals: AccountSignals['signals'], benign: AccountSignals['benign'], posts: number, perDay: number): AccountSignals {
  let score = 0;
  for (const s of signals) score += SIGNALS[s.id]?.weight ?? 0;
  for (const b of benign) score += BENIGN[b.id]?.weight ?? 0;
  return { account, botLikeness: Math.round(Math.max(0, Math.min(1, score)) * 100) / 100, signals, benign, posts, perDay: Math.round(perDay * 10) / 10 };
}
