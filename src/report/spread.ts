// The report's spread section (present when `tamis spread --case` was run): per marker the first
// posters and the biggest cascades, the coordinated clusters and why popularity does not explain
// them, the most bot-like accounts with their reasons, and the posts that link to dump items.
import type { Json } from '../model.js';
import type { AccountJson, CascadeJson, ClusterJson, EarliestPost } from '../spread/analyse.js';
import type { StoredSpread } from '../store/spread.js';
import { escapeHtml as e, escapeMarkdown as m } from './escape.js';

export interface SpreadSection {
  generatedAt?: string;
  posts: number;
  accounts: number;
  span: { first: string; last: string };
  coordination: { mode: string; window: number; minWeight: number; kinds: string[]; explainedByPopularity: { pairs: number; accounts: number } };
  markers: { marker: string; posts: number; accounts: number; earliest: (Omit<EarliestPost, 'at'> & { at: string })[]; topCascades: CascadeJson[]; items: number[] }[];
  clusters: (Omit<ClusterJson, 'firstAt' | 'lastAt'> & { firstAt: string; lastAt: string })[];
  topAccounts: Omit<AccountJson, 'clusters'>[];
  items: { itemId: number; posts: number; accounts: number; firstAt: string; postIds: string[] }[];
}

const LIMITS = { earliest: 5, cascades: 5, clusters: 10, clusterObjects: 5, accounts: 10, itemPosts: 10 } as const;
const iso = (ms: number): string => new Date(ms).toISOString();

/** The part of a stored analysis a published report shows (no input paths: they are the journalist's folders). */
export function spreadSectionOf(r: StoredSpread | undefined): SpreadSection | undefined {
  if (!r) return undefined;
  return {
    ...(r.generatedAt ? { generatedAt: r.generatedAt } : {}),
    posts: r.posts,
    accounts: r.accountCount,
    span: { first: iso(r.span.first), last: iso(r.span.last) },
    coordination: {
      mode: r.coordination.mode,
      window: r.coordination.window,
      minWeight: r.coordination.minWeight,
      kinds: r.coordination.kinds.map((k) => k.kind),
      explainedByPopularity: r.coordination.explainedByPopularity,
    },
    markers: r.markers.map((mk) => ({
      marker: mk.marker,
      posts: mk.posts,
      accounts: mk.accounts,
      earliest: mk.earliest.slice(0, LIMITS.earliest).map((p) => ({ ...p, at: iso(p.at) })),
      topCascades: mk.topCascades.slice(0, LIMITS.cascades),
      items: mk.items,
    })),
    clusters: r.coordination.clusters.slice(0, LIMITS.clusters).map((c) => ({ ...c, objects: c.objects.slice(0, LIMITS.clusterObjects), firstAt: iso(c.firstAt), lastAt: iso(c.lastAt) })),
    topAccounts: r.accounts
      .filter((a) => a.signals.length > 0)
      .slice(0, LIMITS.accounts)
      .map(({ clusters: _clusters, ...a }) => a),
    items: r.items.map((it) => ({ itemId: it.itemId, posts: it.posts, accounts: it.accounts, firstAt: iso(it.firstAt), postIds: it.postIds.slice(0, LIMITS.itemPosts) })),
  };
}

const INTRO =
  'How the dump spread on social media, from the posts given to `tamis spread`: who posted each marker first, the biggest repost cascades, ' +
  'accounts that acted on the same objects within the window more often than their activity alone would give, and accounts that look automated. ' +
  'Bot-likeness is a set of explained signals, never a verdict: news wires and fan accounts post a lot too.';

const secs = (ms: number | undefined): string => (ms === undefined ? '—' : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`);
const who = (p: { account?: string; handle?: string }): string => (p.handle ? `@${p.handle}` : (p.account ?? '?'));
const clusterWho = (c: SpreadSection['clusters'][number]): string[] => c.accounts.map((a, i) => (c.handles[i] ? `@${c.handles[i]}` : a));

export function spreadHtml(s: SpreadSection | undefined): string {
  if (!s) return '';
  const c = s.coordination;
  const head =
    `<h2>How it spread</h2>\n<p>${e(INTRO)}</p>\n<p class="meta">${s.posts} posts by ${s.accounts} accounts, ${e(s.span.first)} → ${e(s.span.last)}; ` +
    `${e(c.mode)} mode, ${c.window} s window, minimum weight ${c.minWeight}, shared objects: ${e(c.kinds.join(', '))}.</p>\n`;
  const markers = s.markers
    .map((mk) => {
      const first = mk.earliest.map((p) => `<li>${e(p.at)} ${e(who(p))} (post ${e(p.postId)})</li>`).join('');
      const casc = mk.topCascades
        .map((k) => `<tr><td>${e(k.rootPostId)}</td><td>${e(who(k))}</td><td class="n">${k.reposts}</td><td class="n">${k.quotes}</td><td class="n">${k.replies}</td><td class="n">${e(secs(k.timeTo15Ms))}</td><td class="n">${e(secs(k.timeTo87Ms))}</td></tr>`)
        .join('');
      return (
        `<h3>${e(mk.marker)}</h3>\n<p>${mk.posts} posts by ${mk.accounts} accounts${mk.items.length ? `; links to items ${e(mk.items.join(', '))}` : ''}.</p>\n` +
        (first ? `<p>First posters:</p><ol>${first}</ol>\n` : '') +
        (casc ? `<table><thead><tr><th>Cascade root</th><th>Account</th><th>Reposts</th><th>Quotes</th><th>Replies</th><th>To 15th repost</th><th>To 87th repost</th></tr></thead><tbody>${casc}</tbody></table>\n` : '')
      );
    })
    .join('');
  const clusters = s.clusters.length
    ? `<table><thead><tr><th>Cluster</th><th>Accounts</th><th>Shared objects</th><th>When</th><th>Why popularity does not explain it</th></tr></thead><tbody>${s.clusters
        .map(
          (cl) =>
            `<tr><td>${e(cl.id)}</td><td>${e(clusterWho(cl).join(', '))}</td><td>${cl.objects.map((o) => `${e(o.kind)}: ${e(o.object)} (${o.pairs} pairs)`).join('<br>')}</td>` +
            `<td>${e(cl.firstAt)} → ${e(cl.lastAt)}</td><td>${e(cl.why)}</td></tr>`,
        )
        .join('')}</tbody></table>\n`
    : '<p>No coordinated cluster beyond what popularity explains.</p>\n';
  const accounts = s.topAccounts.length
    ? `<table><thead><tr><th>Account</th><th>Bot-likeness</th><th>Posts</th><th>Per day</th><th>Signals</th><th>Benign explanations</th></tr></thead><tbody>${s.topAccounts
        .map(
          (a) =>
            `<tr><td>${e(who(a))}${a.handle ? `<br><code>${e(a.account)}</code>` : ''}</td><td class="n">${a.botLikeness.toFixed(2)}</td><td class="n">${a.posts}</td><td class="n">${a.perDay.toFixed(1)}</td>` +
            `<td>${a.signals.map((x) => `${e(x.id)}: ${e(x.why)}`).join('<br>')}</td><td>${a.benign.map((x) => `${e(x.id)}: ${e(x.why)}`).join('<br>')}</td></tr>`,
        )
        .join('')}</tbody></table>\n`
    : '<p>No account shows a bot-likeness signal.</p>\n';
  const items = s.items.length
    ? `<ul>${s.items.map((it) => `<li>item ${it.itemId}: ${it.posts} posts by ${it.accounts} accounts, first at ${e(it.firstAt)} (posts ${e(it.postIds.join(', '))})</li>`).join('')}</ul>\n`
    : '<p>No post links to an item of the case.</p>\n';
  return (
    head +
    markers +
    `<h3>Coordinated clusters</h3>\n<p>${c.explainedByPopularity.pairs} co-acting pairs (${c.explainedByPopularity.accounts} accounts) are explained by popularity alone and left out.</p>\n${clusters}` +
    `<h3>Most bot-like accounts</h3>\n${accounts}<h3>Posts linking to items of the dump</h3>\n${items}`
  );
}

export function spreadMd(s: SpreadSection | undefined): string[] {
  if (!s) return [];
  const c = s.coordination;
  const out = [
    '## How it spread',
    '',
    m(INTRO),
    '',
    `${s.posts} posts by ${s.accounts} accounts, ${s.span.first} → ${s.span.last}; ${m(c.mode)} mode, ${c.window} s window, minimum weight ${c.minWeight}, shared objects: ${m(c.kinds.join(', '))}.`,
    '',
  ];
  for (const mk of s.markers) {
    out.push(`### ${m(mk.marker)}`, '', `${mk.posts} posts by ${mk.accounts} accounts${mk.items.length ? `; links to items ${mk.items.join(', ')}` : ''}.`, '');
    if (mk.earliest.length) out.push('First posters:', '', ...mk.earliest.map((p, i) => `${i + 1}. ${p.at} ${m(who(p))} (post ${m(p.postId)})`), '');
    if (mk.topCascades.length) {
      out.push('| Cascade root | Account | Reposts | Quotes | Replies | To 15th repost | To 87th repost |', '| --- | --- | --- | --- | --- | --- | --- |');
      for (const k of mk.topCascades) out.push(`| ${m(k.rootPostId)} | ${m(who(k))} | ${k.reposts} | ${k.quotes} | ${k.replies} | ${secs(k.timeTo15Ms)} | ${secs(k.timeTo87Ms)} |`);
      out.push('');
    }
  }
  out.push('### Coordinated clusters', '', `${c.explainedByPopularity.pairs} co-acting pairs (${c.explainedByPopularity.accounts} accounts) are explained by popularity alone and left out.`, '');
  if (!s.clusters.length) out.push('No coordinated cluster beyond what popularity explains.', '');
  for (const cl of s.clusters) {
    out.push(`- **${m(cl.id)}** (${cl.firstAt} → ${cl.lastAt}): ${m(clusterWho(cl).join(', '))}. Shared: ${m(cl.objects.map((o) => `${o.kind}: ${o.object} (${o.pairs} pairs)`).join('; '))}. ${m(cl.why)}`);
  }
  if (s.clusters.length) out.push('');
  out.push('### Most bot-like accounts', '');
  if (!s.topAccounts.length) out.push('No account shows a bot-likeness signal.', '');
  for (const a of s.topAccounts) {
    out.push(`- ${m(who(a))} (${m(a.account)}), bot-likeness ${a.botLikeness.toFixed(2)}, ${a.posts} posts: ${m(a.signals.map((x) => `${x.id}: ${x.why}`).join('; '))}${a.benign.length ? `. Benign: ${m(a.benign.map((x) => `${x.id}: ${x.why}`).join('; '))}` : ''}`);
  }
  if (s.topAccounts.length) out.push('');
  out.push('### Posts linking to items of the dump', '');
  if (!s.items.length) out.push('No post links to an item of the case.');
  for (const it of s.items) out.push(`- item ${it.itemId}: ${it.posts} posts by ${it.accounts} accounts, first at ${it.firstAt} (posts ${m(it.postIds.join(', '))})`);
  out.push('');
  return out;
}

export function spreadJson(s: SpreadSection | undefined): { spread?: Json } {
  return s ? { spread: JSON.parse(JSON.stringify(s)) as Json } : {};
}
