// The search index and the item view over the real messages of the shared DKIM corpus (278 files from
// six projects: old drafts, Gmail, iCloud, ARC suites, odd encodings).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import PostalMime from 'postal-mime';
import { parseDocument, DomUtils } from 'htmlparser2';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Case } from '../src/store/case.js';
import { indexCase } from '../src/search/index.js';
import { searchCase } from '../src/search/search.js';
import { itemView, emailParts } from '../src/server/item-view.js';
import { inertEmailHtml } from '../src/server/email-html.js';
import { describeCorpus, HAS_CORPUS } from './helpers/corpus.js';

const CORPUS = '../shared/corpus/dkim/messages';

function emlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? emlFiles(join(dir, e.name)) : e.name.endsWith('.eml') ? [join(dir, e.name)] : [],
  );
}

let dir: string;
let kase: Case;
const idByPath = new Map<string, number>();
let files: string[];

beforeAll(async () => {
  if (!HAS_CORPUS) return;
  dir = mkdtempSync(join(tmpdir(), 'tamis-search-corpus-'));
  kase = await Case.open(dir);
  files = emlFiles(CORPUS).sort();
  for (const file of files) {
    const bytes = readFileSync(file);
    const blob = await kase.blobs.putBuffer(bytes);
    const { id } = kase.upsertItem(blob.sha256, blob.size, 'message/rfc822', 'email');
    const path = relative(CORPUS, file);
    kase.addOccurrence(id, path, null);
    idByPath.set(path, id);
    const mail = await PostalMime.parse(bytes);
    const addr = (a: { name?: string; address?: string } | undefined) => (a?.address ? `${a.name ?? ''} <${a.address}>`.trim() : null);
    kase.setAnalysis(id, 'corpus-1', {
      from: addr(mail.from),
      to: (mail.to ?? []).map((a) => addr(a)).filter((a): a is string => a !== null),
      cc: [],
      subject: mail.subject ?? null,
      date: mail.date ?? null,
      messageId: mail.messageId ?? null,
      inReplyTo: mail.inReplyTo ?? null,
      references: [],
      dkim: [],
    });
  }
}, 120_000);
afterAll(() => {
  if (!HAS_CORPUS) return;
  kase.close();
  rmSync(dir, { recursive: true, force: true });
});

describeCorpus('search over the shared DKIM corpus', () => {
  it('indexes every distinct message', async () => {
    const distinct = kase.counts().items;
    expect(distinct).toBeGreaterThan(200);
    expect((await indexCase(kase)).indexed).toBe(distinct);
    expect(searchCase(kase.db, { q: '' }).total).toBe(distinct);
  });

  it('finds known messages by body word and by subject', () => {
    const bitcoin = searchCase(kase.db, { q: 'bitcoin' }).hits.map((h) => h.id);
    expect(bitcoin).toContain(idByPath.get('zk-email/email-good-large.eml'));
    const dinner = searchCase(kase.db, { q: 'subject:dinner' }).hits.map((h) => h.id);
    expect(dinner).toEqual(expect.arrayContaining([idByPath.get('dkimpy/rfc6376.signed.msg.eml'), idByPath.get('dkimpy/rfc6376.signed.rsa.msg.eml')]));
    expect(searchCase(kase.db, { q: 'subject:"is dinner ready"' }).facets.domain.length).toBeGreaterThan(0);
  });

  it('builds the item view of every message, and its HTML bodies load nothing remote', async () => {
    let html = 0;
    for (const id of new Set(idByPath.values())) {
      const item = kase.item(id);
      if (!item) throw new Error(`item ${id} vanished`);
      const view = await itemView(kase, item);
      expect(view.email).not.toBeNull();
      // arc-test-suite/cv_empty.eml is an empty file: no header block to show, but still an item.
      if (item.size > 0) expect(view.email?.rawHeaders.length ?? 0).toBeGreaterThan(0);
      const parts = await emailParts(kase, item);
      if (!parts?.html) continue;
      html++;
      const els = DomUtils.findAll(() => true, parseDocument(inertEmailHtml(parts.html)).children);
      for (const e of els) {
        for (const [k, v] of Object.entries(e.attribs)) {
          expect(k.startsWith('on')).toBe(false);
          if (['src', 'href', 'srcset', 'background', 'action'].includes(k)) expect(v).toMatch(/^data:image\//);
        }
      }
    }
    expect(html).toBeGreaterThan(10);
  });
});
