import type { Finding, ItemKind, Json, Verdict } from '../model.js';
import type { Case, FindingStage, ItemRow } from '../store/case.js';
import { Annotations } from '../store/annotations.js';
import { parseEmailParts, type EmailParts } from '../search/email-parts.js';
import { jsonText, metadataEntries } from '../report/order.js';
import { uncheckedNote } from '../report/unchecked.js';

export interface ItemSummary {
  id: number;
  kind: ItemKind;
  verdict: Verdict;
  mediaType: string;
  title: string;
}

export interface ItemTreeNode extends ItemSummary {
  name: string;
  children: ItemTreeNode[];
}

export interface ItemView extends ItemSummary {
  sha256: string;
  size: number;
  verdictReason: string;
  metadata: { [k: string]: Json };
  /** The metadata as a reader sees it: email fields first, absent and empty ones left out, values as text. */
  fields: { name: string; value: string }[];
  /** Why the verdict says nothing about a signed message whose signatures could not be checked; '' otherwise. */
  unchecked: string;
  occurrences: { path: string; parent: ItemSummary | null }[];
  findings: (Finding & { stage: FindingStage })[];
  children: ItemTreeNode[];
  tags: string[];
  note: string;
  email: (Omit<EmailParts, 'html'> & { hasHtml: boolean }) | null;
  /** Extracted text of a document, when the analyser kept it. */
  text: string | null;
}

const SEVERITY_ORDER = { critical: 0, warning: 1, info: 2 } as const;
const MAX_TREE = 500;

/** What a person calls the item: subject, title, else the last segment of its first path. */
export function titleOf(kase: Case, item: ItemRow): string {
  const m = item.metadata;
  for (const k of ['subject', 'title']) {
    const v = m[k];
    if (typeof v === 'string' && v.trim()) return v;
  }
  const path = kase.occurrencesOf(item.id)[0]?.path ?? '';
  return path.split(/[!/]/).pop() || `${item.kind} ${item.sha256.slice(0, 12)}`;
}

export function summaryOf(kase: Case, item: ItemRow): ItemSummary {
  return { id: item.id, kind: item.kind, verdict: item.verdict, mediaType: item.mediaType, title: titleOf(kase, item) };
}

/** Items carried by this one (attachments, members), recursively; a cycle or a huge archive is cut short. */
function childTree(kase: Case, itemId: number, seen: Set<number>): ItemTreeNode[] {
  const rows = kase.db
    .prepare('SELECT item_id AS id, path FROM occurrences WHERE parent_id = ? ORDER BY path')
    .all(itemId) as { id: number; path: string }[];
  const out: ItemTreeNode[] = [];
  for (const r of rows) {
    if (seen.has(r.id) || seen.size >= MAX_TREE) continue;
    seen.add(r.id);
    const child = kase.item(r.id);
    if (!child) continue;
    out.push({ ...summaryOf(kase, child), name: r.path.split('!').pop() ?? r.path, children: childTree(kase, r.id, seen) });
  }
  return out;
}

export async function emailParts(kase: Case, item: ItemRow): Promise<EmailParts | null> {
  if (item.kind !== 'email') return null;
  try {
    return await parseEmailParts(await kase.blobs.read(item.sha256));
  } catch {
    return null;
  }
}

/** Text of an item for reading and comparing: email body, document text, or the bytes of a text file. */
export async function textOf(kase: Case, item: ItemRow): Promise<string> {
  if (item.kind === 'email') return (await emailParts(kase, item))?.text ?? '';
  const t = kase.textOf(item.id)?.text;
  if (typeof t === 'string') return t;
  if (item.mediaType.startsWith('text/') && item.size <= 5_000_000) return (await kase.blobs.read(item.sha256)).toString('utf8');
  return '';
}

export async function itemView(kase: Case, item: ItemRow): Promise<ItemView> {
  const notes = new Annotations(kase.db);
  const parts = await emailParts(kase, item);
  const findings = kase
    .findingsOf(item.id)
    .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.check.localeCompare(b.check));
  const text = item.kind === 'email' ? null : (kase.textOf(item.id)?.text ?? null);
  return {
    ...summaryOf(kase, item),
    sha256: item.sha256,
    size: item.size,
    verdictReason: item.verdictReason,
    metadata: item.metadata,
    fields: metadataEntries({ metadata: item.metadata }).map(([name, v]) => ({ name, value: jsonText(v) })),
    unchecked: uncheckedNote(item.metadata),
    occurrences: kase.occurrencesOf(item.id).map((o) => {
      const parent = o.parentId === null ? undefined : kase.item(o.parentId);
      return { path: o.path, parent: parent ? summaryOf(kase, parent) : null };
    }),
    findings,
    children: childTree(kase, item.id, new Set([item.id])),
    tags: notes.tagsOf(item.id),
    note: notes.noteOf(item.id),
    email: parts
      ? { headers: parts.headers, rawHeaders: parts.rawHeaders, text: parts.text, attachments: parts.attachments, hasHtml: parts.html !== null }
      : null,
    text,
  };
}
