import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { Case } from '../src/store/case.js';
import { Ingestor } from '../src/ingest/pipeline.js';
import { buildDump, email, write } from './helpers/dump.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function ingest(caseDir: string, inputs: string[]) {
  const kase = await Case.open(caseDir);
  const problems: string[] = [];
  const stats = await new Ingestor(kase, { onProblem: (p, m) => problems.push(`${p}: ${m}`) }).ingest(inputs);
  return { kase, stats, problems };
}

function snapshot(kase: Case) {
  return {
    items: kase.items().map(({ id, sha256, size, mediaType, kind }) => ({ id, sha256, size, mediaType, kind })),
    occurrences: kase.allOccurrences().map(({ itemId, path, parentId, expanded }) => ({ itemId, path, parentId, expanded })),
    findings: kase.allFindings(),
  };
}

describe('ingest pipeline', () => {
  const base = mkdtempSync(join(tmpdir(), 'tamis-ingest-'));
  const dumpDir = join(base, 'dump');
  const built = buildDump(dumpDir);

  it('stores every distinct byte sequence once and every place it occurs', async () => {
    const { kase, stats } = await ingest(join(base, 'case1'), [dumpDir]);
    const budget = kase.findItem(sha(built.budget));
    expect(budget).toBeDefined();
    const paths = kase.occurrencesOf(budget!.id).map((o) => o.path);
    expect(paths).toHaveLength(3);
    expect(paths).toContain('dump/docs/budget.csv');
    expect(paths.filter((p) => p.startsWith('dump/inbox/a.eml!'))).toHaveLength(1);
    expect(paths.filter((p) => p.startsWith('dump/inbox/b.eml!'))).toHaveLength(1);
    // each mailbox keeps its attachment: parents differ
    const parents = new Set(kase.occurrencesOf(budget!.id).map((o) => o.parentId));
    expect(parents.size).toBe(3);
    expect(stats.newItems).toBe(kase.counts().items);
    kase.close();
  });

  it('splits mbox by byte offsets: message bytes stand alone, mboxrd unescaped once', async () => {
    const { kase } = await ingest(join(base, 'case2'), [dumpDir]);
    for (const m of built.mboxMessages) {
      const item = kase.findItem(sha(m));
      expect(item, 'mbox message stored with its exact bytes').toBeDefined();
      expect(item!.kind).toBe('email');
      expect(kase.occurrencesOf(item!.id).some((o) => o.path.startsWith('dump/archive/box.mbox!'))).toBe(true);
    }
    kase.close();
  });

  it('opens archives nested in archives and names the whole path', async () => {
    const { kase } = await ingest(join(base, 'case3'), [dumpDir]);
    const nested = kase.findItem(sha(built.nestedEml));
    expect(nested?.kind).toBe('email');
    expect(kase.occurrencesOf(nested!.id).map((o) => o.path)).toEqual(['dump/backup.tar.gz!mail.zip!jdoe/inbox/12.eml']);
    kase.close();
  });

  it('sniffs content, not extensions', async () => {
    const { kase } = await ingest(join(base, 'case4'), [dumpDir]);
    const fake = kase.findItem(sha(built.mboxMessages[1]!));
    expect(fake?.mediaType).toBe('message/rfc822');
    expect(kase.occurrencesOf(fake!.id).map((o) => o.path)).toContain('dump/docs/not-a-pdf.pdf');
    kase.close();
  });

  it('turns hostile and broken input into findings and loses nothing else', async () => {
    const { kase, problems } = await ingest(join(base, 'case5'), [dumpDir]);
    const checks = kase.allFindings().map((f) => f.check);
    expect(checks).toContain('ingest.hostile-path');
    expect(checks).toContain('ingest.link');
    expect(checks).toContain('ingest.unreadable');
    expect(problems.some((p) => p.includes('corrupt.zip'))).toBe(true);
    // the entry with a traversal name is still an item, under a safe name, and nothing escaped
    expect(kase.findItem(sha(Buffer.from('should never be written outside the case')))).toBeDefined();
    expect(existsSync(join(base, 'escaped.txt'))).toBe(false);
    expect(existsSync(join(base, 'case5', '..', '..', 'escaped.txt'))).toBe(false);
    // the good entry next to the hostile ones is there
    expect(kase.findItem(sha(Buffer.from('fine')))).toBeDefined();
    expect(kase.findItem(sha(Buffer.from('real')))).toBeDefined();
    kase.close();
  });

  it('adds nothing when the same input is ingested again, and only what is new from a new folder', async () => {
    const caseDir = join(base, 'case6');
    const first = await ingest(caseDir, [dumpDir]);
    const before = snapshot(first.kase);
    first.kase.close();
    const again = await ingest(caseDir, [dumpDir]);
    expect(again.stats.newItems).toBe(0);
    expect(again.stats.newOccurrences).toBe(0);
    expect(snapshot(again.kase)).toEqual(before);
    again.kase.close();

    const extra = join(base, 'more');
    write(extra, 'new.eml', email({ from: 'eve@campaign.example', to: 'alice@campaign.example', subject: 'new', date: 'Thu, 23 Mar 2017 09:00:00 +0100', id: 'new1@campaign.example', body: 'new one' }));
    write(extra, 'copy-of-budget.csv', built.budget);
    const more = await ingest(caseDir, [extra]);
    expect(more.stats.newItems).toBe(1);
    expect(more.stats.newOccurrences).toBe(2);
    more.kase.close();
  });

  it('never modifies the dump', async () => {
    const before = readFileSync(join(dumpDir, 'inbox/a.eml'));
    const { kase } = await ingest(join(base, 'case7'), [dumpDir]);
    expect(readFileSync(join(dumpDir, 'inbox/a.eml'))).toEqual(before);
    kase.close();
  });
});
