// The Spread view: how the dump spread on social media, from the last `tamis spread --case` run —
// the per-minute volume of each marker with its first posters, the coordinated network on a canvas
// (clusters coloured; click an account for its posts and bot-likeness signals), the posts that link
// to dump items; and, on an item, the posts that link to it.
import { useContext, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { apiGet } from '../api';
import { formatDate, Show } from '../components';
import { useLoad } from '../hooks';
import { LangContext } from '../i18n';
import { href } from '../router';

interface Post { id: string; at: number; kind: string; text?: string; of?: string; urls: string[]; hashtags: string[]; items?: number[] }
interface Earliest { postId: string; account: string; handle?: string; at: number }
interface Cascade { rootPostId: string; account?: string; reposts: number; quotes: number; replies: number; timeTo15Ms?: number; timeTo87Ms?: number }
interface Marker { marker: string; posts: number; accounts: number; earliest: Earliest[]; perMinute: { start: number; counts: [number, number][] }; topCascades: Cascade[]; items: number[] }
interface Cluster { id: string; accounts: string[]; handles: string[]; objects: { kind: string; object: string; pairs: number }[]; firstAt: number; lastAt: number; why: string }
interface Signal { id: string; why: string }
interface Account { account: string; handle?: string; botLikeness: number; signals: Signal[]; benign: Signal[]; posts: number; perDay: number; clusters: string[] }
interface LinkedPost extends Post { account: string; handle?: string }
interface ItemLinks { itemId: number; posts: number; accounts: number; firstAt?: number; linked: LinkedPost[] }
type SpreadData =
  | { ran: false }
  | {
      ran: true;
      generatedAt?: string;
      posts: number;
      accountCount: number;
      markers: Marker[];
      coordination: { window: number; mode: string; clusters: Cluster[] };
      accounts: Account[];
      accountPosts: Record<string, Post[]>;
      items: (Omit<ItemLinks, 'linked'> & { linked?: LinkedPost[] })[];
      network: { edges: { kind: string; source: string; target: string; weight: number }[]; truncated: boolean };
    };

// This view's words, kept beside it (the shared dictionary holds the navigation label only).
const WORDS = {
  en: {
    title: 'How it spread',
    notRun: 'No spread analysis yet: run tamis spread POSTS... --case DIR on this case (Twitter v1.1/v2 JSON, the IO archive CSV, QUT or CooRTweet CSV, Telegram JSON).',
    summary: '{posts} posts by {accounts} accounts',
    summaryPosts: '{posts} posts',
    noBots: 'No account shows a bot-likeness signal.',
    volume: 'Posts per minute',
    first: 'First posters',
    cascades: 'Biggest cascades',
    to15: 'to 15th repost',
    to87: 'to 87th repost',
    reposts: 'reposts',
    network: 'Coordinated accounts',
    networkHint: 'Accounts linked when they acted on the same object within the window more often than popularity explains. Click an account.',
    noCluster: 'No coordinated cluster beyond what popularity explains.',
    clusters: 'Clusters',
    bots: 'Most bot-like accounts',
    botHint: 'Bot-likeness is a set of explained signals, never a verdict.',
    signals: 'Signals',
    benign: 'Benign explanations',
    posts: 'Posts',
    perDay: 'per day',
    items: 'Posts linking to dump items',
    noItems: 'No post links to an item of the case.',
    linkedHere: 'Posts linking to this item',
    truncated: 'Only the strongest links are drawn.',
  },
  fr: {
    title: 'Diffusion',
    notRun: 'Pas encore d’analyse de diffusion : lancez tamis spread MESSAGES... --case DOSSIER sur ce dossier (JSON Twitter v1.1/v2, CSV des archives IO, CSV QUT ou CooRTweet, JSON Telegram).',
    summary: '{posts} messages de {accounts} comptes',
    summaryPosts: '{posts} messages',
    noBots: 'Aucun compte ne montre de signal d’automatisation.',
    volume: 'Messages par minute',
    first: 'Premiers à publier',
    cascades: 'Plus grandes cascades',
    to15: 'jusqu’au 15e partage',
    to87: 'jusqu’au 87e partage',
    reposts: 'partages',
    network: 'Comptes coordonnés',
    networkHint: 'Comptes reliés quand ils ont agi sur le même objet dans la fenêtre plus souvent que la popularité ne l’explique. Cliquez un compte.',
    noCluster: 'Aucun groupe coordonné au-delà de ce qu’explique la popularité.',
    clusters: 'Groupes',
    bots: 'Comptes les plus automatisés en apparence',
    botHint: 'Des signaux expliqués, jamais un verdict.',
    signals: 'Signaux',
    benign: 'Explications anodines',
    posts: 'Messages',
    perDay: 'par jour',
    items: 'Messages renvoyant à des pièces du dossier',
    noItems: 'Aucun message ne renvoie à une pièce du dossier.',
    linkedHere: 'Messages renvoyant à cette pièce',
    truncated: 'Seuls les liens les plus forts sont dessinés.',
  },
} as const;
type Word = keyof (typeof WORDS)['en'];
function useWords(): (w: Word, vars?: Record<string, string | number>) => string {
  const { lang } = useContext(LangContext);
  return (w, vars = {}) => WORDS[lang][w].replace(/\{(\w+)\}/g, (_m, k: string) => String(vars[k] ?? ''));
}

const iso = (ms: number): string => new Date(ms).toISOString();
const secs = (ms: number | undefined): string => (ms === undefined ? '—' : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`);
const who = (a: { account?: string; handle?: string }): string => (a.handle ? `@${a.handle}` : (a.account ?? '?'));
/** Distinct, stable colours by cluster index (golden-angle hues). */
const colour = (i: number): string => `hsl(${(i * 137.5) % 360} 65% 45%)`;

const VW = 640;
const VH = 120;

/** Posts per minute of one marker as bars, with the first posters marked on the time axis. */
function Volume({ m }: { m: Marker }) {
  const counts = m.perMinute.counts;
  if (!counts.length) return null;
  const last = counts[counts.length - 1]![0];
  const minutes = Math.max(last + 1, 10);
  const peak = Math.max(...counts.map((c) => c[1]));
  const bw = (VW - 40) / minutes;
  const x = (minute: number) => 30 + minute * bw;
  return (
    <svg width={VW} height={VH + 30} role="img" data-testid="spread-volume" aria-label={`${m.marker}: ${m.posts}`}>
      {counts.map(([minute, n]) => (
        <rect x={x(minute)} y={VH - (n / peak) * (VH - 10)} width={Math.max(1, bw - 0.5)} height={(n / peak) * (VH - 10)} fill="var(--consistent)">
          <title>{`${formatDate(iso(m.perMinute.start + minute * 60_000))}: ${n}`}</title>
        </rect>
      ))}
      {m.earliest.slice(0, 10).map((p, i) => (
        <line x1={x((p.at - m.perMinute.start) / 60_000)} x2={x((p.at - m.perMinute.start) / 60_000)} y1={VH + 2} y2={VH + 10} stroke={i === 0 ? 'var(--tampered)' : 'var(--suspicious)'}>
          <title>{`${i + 1}. ${who(p)} ${formatDate(iso(p.at))}`}</title>
        </line>
      ))}
      <text x={0} y={12} font-size="11">{peak}</text>
      <text x={30} y={VH + 24} font-size="11">{formatDate(iso(m.perMinute.start))}</text>
      <text x={VW - 150} y={VH + 24} font-size="11">+{minutes} min</text>
    </svg>
  );
}

interface Node { account: string; label: string; cluster: number; x: number; y: number }
const NW = 640;
const NH = 480;
const R = 5;

/**
 * A deterministic layout by hand (no force simulation): each cluster on its own circle, the circles
 * on a grid, so the picture is the same on every load and clusters never overlap.
 */
function layout(clusters: Cluster[], edges: { source: string; target: string }[]): Node[] {
  const groups = clusters.map((c) => c.accounts.map((a, i) => ({ account: a, label: c.handles[i] ? `@${c.handles[i]}` : a })));
  const placed = new Set(groups.flat().map((n) => n.account));
  const rest = [...new Set(edges.flatMap((e) => [e.source, e.target]))].filter((a) => !placed.has(a)).sort();
  if (rest.length) groups.push(rest.map((a) => ({ account: a, label: a })));
  const cols = Math.ceil(Math.sqrt(groups.length));
  const rows = Math.ceil(groups.length / cols);
  const cw = NW / cols;
  const ch = NH / Math.max(rows, 1);
  return groups.flatMap((g, gi) => {
    const cx = (gi % cols) * cw + cw / 2;
    const cy = Math.floor(gi / cols) * ch + ch / 2;
    const r = g.length === 1 ? 0 : Math.min(cw, ch) / 2 - 14;
    return g.map((n, i) => ({ ...n, cluster: gi < clusters.length ? gi : -1, x: cx + r * Math.cos((2 * Math.PI * i) / g.length), y: cy + r * Math.sin((2 * Math.PI * i) / g.length) }));
  });
}

function Network({ clusters, edges, selected, onSelect }: { clusters: Cluster[]; edges: { source: string; target: string; weight: number }[]; selected: string | null; onSelect: (a: string) => void }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const nodes = useMemo(() => layout(clusters, edges), [clusters, edges]);
  const at = useMemo(() => new Map(nodes.map((n) => [n.account, n])), [nodes]);
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, NW, NH);
    ctx.strokeStyle = 'rgba(80,90,100,0.35)';
    for (const e of edges) {
      const a = at.get(e.source);
      const b = at.get(e.target);
      if (!a || !b) continue;
      ctx.lineWidth = Math.min(4, 0.5 + Math.log2(1 + e.weight) / 2);
      ctx.beginPath();
      ctx.moveTo(a.x, a.y);
      ctx.lineTo(b.x, b.y);
      ctx.stroke();
    }
    for (const n of nodes) {
      ctx.fillStyle = n.cluster < 0 ? '#999' : colour(n.cluster);
      ctx.beginPath();
      ctx.arc(n.x, n.y, n.account === selected ? R + 3 : R, 0, 2 * Math.PI);
      ctx.fill();
      if (n.account === selected) {
        ctx.strokeStyle = '#000';
        ctx.lineWidth = 2;
        ctx.stroke();
        ctx.strokeStyle = 'rgba(80,90,100,0.35)';
      }
    }
    if (nodes.length <= 60) {
      ctx.fillStyle = '#1d232a';
      ctx.font = '11px system-ui, sans-serif';
      for (const n of nodes) ctx.fillText(n.label, n.x + R + 2, n.y + 3);
    }
  }, [nodes, edges, at, selected]);
  const click = (ev: MouseEvent) => {
    const c = canvas.current;
    if (!c) return;
    const box = c.getBoundingClientRect();
    const px = ((ev.clientX - box.left) * NW) / box.width;
    const py = ((ev.clientY - box.top) * NH) / box.height;
    let best: Node | undefined;
    let bestD = (R + 4) ** 2;
    for (const n of nodes) {
      const d = (n.x - px) ** 2 + (n.y - py) ** 2;
      if (d <= bestD) [best, bestD] = [n, d];
    }
    if (best) onSelect(best.account);
  };
  return <canvas ref={canvas} width={NW} height={NH} style={{ maxWidth: '100%', border: '1px solid var(--line)', cursor: 'pointer' }} onClick={click} data-testid="spread-network" />;
}

function PostRow({ p, account }: { p: Post; account?: string }) {
  return (
    <li>
      <span class="small muted">{formatDate(iso(p.at))} · {p.kind}{account ? ` · ${account}` : ''}</span> {p.text ?? p.of ?? p.id}{' '}
      {(p.items ?? []).map((id) => (
        <a href={href(`item/${id}`)}>#{id} </a>
      ))}
    </li>
  );
}

function AccountPanel({ a, posts }: { a: Account | undefined; posts: Post[] }) {
  const w = useWords();
  if (!a) return null;
  return (
    <div class="card" data-testid="spread-account">
      <h3>
        {who(a)} <span class="small muted">{a.account} · {w('summaryPosts', { posts: a.posts })}, {a.perDay.toFixed(1)} {w('perDay')} · bot-likeness {a.botLikeness.toFixed(2)}</span>
      </h3>
      {a.signals.length ? (
        <>
          <h4>{w('signals')}</h4>
          <ul>{a.signals.map((s) => <li><code>{s.id}</code> {s.why}</li>)}</ul>
        </>
      ) : null}
      {a.benign.length ? (
        <>
          <h4>{w('benign')}</h4>
          <ul>{a.benign.map((s) => <li><code>{s.id}</code> {s.why}</li>)}</ul>
        </>
      ) : null}
      <h4>{w('posts')}</h4>
      <ul>{posts.map((p) => <PostRow p={p} />)}</ul>
    </div>
  );
}

export function Spread() {
  const w = useWords();
  const [data] = useLoad(() => apiGet<SpreadData>('spread'), []);
  const [selected, setSelected] = useState<string | null>(null);
  return (
    <section>
      <h1>{w('title')}</h1>
      <Show value={data}>
        {(d) => {
          if (!d.ran) return <p class="muted" data-testid="spread-empty">{w('notRun')}</p>;
          const byAccount = new Map(d.accounts.map((a) => [a.account, a]));
          const clusters = d.coordination.clusters;
          return (
            <>
              <p class="muted">
                {w('summary', { posts: d.posts, accounts: d.accountCount })} · {d.coordination.mode}, {d.coordination.window} s{d.generatedAt ? ` · ${formatDate(d.generatedAt)}` : ''}
              </p>
              {d.markers.map((m) => (
                <div data-testid="spread-marker">
                  <h2>{m.marker} <span class="small muted">{w('summary', { posts: m.posts, accounts: m.accounts })}</span></h2>
                  <h3>{w('volume')}</h3>
                  <Volume m={m} />
                  <h3>{w('first')}</h3>
                  <ol class="small">
                    {m.earliest.map((p) => (
                      <li>
                        {formatDate(iso(p.at))} <a href="#" onClick={(ev) => { ev.preventDefault(); setSelected(p.account); }}>{who(p)}</a> <span class="muted">{p.postId}</span>
                      </li>
                    ))}
                  </ol>
                  {m.topCascades.length ? (
                    <>
                      <h3>{w('cascades')}</h3>
                      <table class="grid small">
                        <tbody>
                          {m.topCascades.map((c) => (
                            <tr><td>{c.rootPostId}</td><td>{who(c)}</td><td>{c.reposts} {w('reposts')}</td><td>{secs(c.timeTo15Ms)} {w('to15')}</td><td>{secs(c.timeTo87Ms)} {w('to87')}</td></tr>
                          ))}
                        </tbody>
                      </table>
                    </>
                  ) : null}
                  {m.items.length ? <p>{m.items.map((id) => <a href={href(`item/${id}`)}>#{id} </a>)}</p> : null}
                </div>
              ))}
              <h2>{w('network')}</h2>
              <p class="muted small">{w('networkHint')}</p>
              {clusters.length === 0 && d.network.edges.length === 0 ? (
                <p class="muted">{w('noCluster')}</p>
              ) : (
                <div style={{ display: 'flex', gap: '1rem', flexWrap: 'wrap', alignItems: 'flex-start' }}>
                  <div>
                    <Network clusters={clusters} edges={d.network.edges} selected={selected} onSelect={setSelected} />
                    {d.network.truncated ? <p class="muted small">{w('truncated')}</p> : null}
                  </div>
                  <div style={{ flex: '1 1 280px', minWidth: 0 }}>
                    <AccountPanel a={selected ? byAccount.get(selected) : undefined} posts={selected ? (d.accountPosts[selected] ?? []) : []} />
                  </div>
                </div>
              )}
              {clusters.length ? (
                <>
                  <h3>{w('clusters')}</h3>
                  <ul data-testid="spread-clusters">
                    {clusters.map((c, i) => (
                      <li>
                        <span style={{ color: colour(i), fontWeight: 600 }}>■ {c.id}</span>{' '}
                        {c.accounts.map((a, j) => (
                          <a href="#" onClick={(ev) => { ev.preventDefault(); setSelected(a); }}>{c.handles[j] ? `@${c.handles[j]}` : a} </a>
                        ))}
                        <div class="small muted">{c.objects.slice(0, 5).map((o) => `${o.kind}: ${o.object}`).join(' · ')} — {c.why}</div>
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
              <h2>{w('bots')}</h2>
              <p class="muted small">{w('botHint')}</p>
              {d.accounts.some((a) => a.signals.length) ? null : <p class="muted">{w('noBots')}</p>}
              <table class="grid small" data-testid="spread-bots">
                <tbody>
                  {d.accounts.filter((a) => a.signals.length).slice(0, 25).map((a) => (
                    <tr>
                      <td><a href="#" onClick={(ev) => { ev.preventDefault(); setSelected(a.account); }}>{who(a)}</a></td>
                      <td>{a.botLikeness.toFixed(2)}</td>
                      <td>{a.signals.map((s) => s.id).join(', ')}</td>
                      <td class="muted">{a.benign.map((s) => s.id).join(', ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <h2>{w('items')}</h2>
              {d.items.length === 0 ? (
                <p class="muted">{w('noItems')}</p>
              ) : (
                <ul data-testid="spread-items">
                  {d.items.map((it) => (
                    <li>
                      <a href={href(`item/${it.itemId}`)}>#{it.itemId}</a> {w('summary', { posts: it.posts, accounts: it.accounts })}
                      <ul>{(it.linked ?? []).slice(0, 5).map((p) => <PostRow p={p} account={who(p)} />)}</ul>
                    </li>
                  ))}
                </ul>
              )}
            </>
          );
        }}
      </Show>
    </section>
  );
}

/** On an item: the posts of the stored spread analysis that link to it (nothing when none do). */
export function SpreadLinks({ id }: { id: number }) {
  const w = useWords();
  const [links] = useLoad(() => apiGet<ItemLinks>(`spread/item/${id}`), [id]);
  if (links.state !== 'ok' || links.data.linked.length === 0) return null;
  return (
    <div data-testid="spread-links">
      <h3>{w('linkedHere')} <a class="small" href={href('spread')}>({w('summary', { posts: links.data.posts, accounts: links.data.accounts })})</a></h3>
      <ul>{links.data.linked.map((p) => <PostRow p={p} account={who(p)} />)}</ul>
    </div>
  );
}
