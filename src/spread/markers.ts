import type { Post } from './model.js';
import { normaliseUrl } from './normalise.js';

/** What a `--marker` names: a hashtag, a URL, a file name, a hash, a case item, or plain words. */
export type Marker =
  | { kind: 'hashtag'; label: string; tag: string }
  | { kind: 'url'; label: string; url: string }
  | { kind: 'file'; label: string; name: string }
  | { kind: 'hash'; label: string; hex: string }
  | { kind: 'item'; label: string; itemId: number }
  | { kind: 'text'; label: string; words: string };

export function parseMarker(spec: string): Marker {
  const s = spec.trim();
  if (s.startsWith('#')) return { kind: 'hashtag', label: s, tag: s.slice(1).toLowerCase() };
  const item = /^item:(\d+)$/.exec(s);
  if (item) return { kind: 'item', label: s, itemId: Number(item[1]) };
  const hex = /^(?:sha256:)?([0-9a-f]{64}|[0-9a-f]{40}|[0-9a-f]{32})$/i.exec(s);
  if (hex) return { kind: 'hash', label: s, hex: hex[1]!.toLowerCase() };
  if (/^https?:\/\//i.test(s) || /^[\w-]+(\.[\w-]+)+\/\S*/.test(s)) return { kind: 'url', label: s, url: normaliseUrl(s) };
  if (/^file:/.test(s) || /^[^\s/]+\.[a-z0-9]{2,5}$/i.test(s)) return { kind: 'file', label: s, name: s.replace(/^file:/, '').toLowerCase() };
  return { kind: 'text', label: s, words: s.toLowerCase() };
}

/** Whether a post carries the marker. `items` are the case items the post links to (see case-links.ts). */
export function matches(m: Marker, p: Post, items: readonly number[] = []): boolean {
  switch (m.kind) {
    case 'hashtag':
      return p.hashtags.includes(m.tag);
    case 'url':
      return p.urls.some((u) => u === m.url || u.startsWith(m.url + '/') || u.startsWith(m.url + '?'));
    case 'file':
      return (p.text ?? '').toLowerCase().includes(m.name) || p.urls.some((u) => u.toLowerCase().includes(m.name)) || p.media.some((x) => x.toLowerCase().includes(m.name));
    case 'hash':
      return p.media.some((x) => x.toLowerCase() === m.hex) || (p.text ?? '').toLowerCase().includes(m.hex);
    case 'item':
      return items.includes(m.itemId);
    case 'text':
      return (p.text ?? '').toLowerCase().includes(m.words) || p.hashtags.includes(m.words.replace(/^#/, ''));
  }
}

/** Without `--marker`, the most used hashtags and URLs stand in. */
export function topMarkers(posts: readonly Post[], n = 5): Marker[] {
  const tags = new Map<string, number>();
  const urls = new Map<string, number>();
  for (const p of posts) {
    for (const h of p.hashtags) tags.set(h, (tags.get(h) ?? 0) + 1);
    if (p.kind !== 'repost') for (const u of p.urls) urls.set(u, (urls.get(u) ?? 0) + 1);
  }
  const top = (m: Map<string, number>, k: number) => [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, k).map(([x]) => x);
  return [
    ...top(tags, n).map((t): Marker => ({ kind: 'hashtag', label: `#${t}`, tag: t })),
    ...top(urls, Math.ceil(n / 2)).map((u): Marker => ({ kind: 'url', label: u, url: u })),
  ];
}
