// The comparison stage reads each email's stored facts and runs the checks a page or a thread at a
// time (src/analyse/corpus.ts). Its findings must be exactly those of every check run once over the
// whole case, each email parsed from its bytes: checked on the labelled end-to-end dump, whose
// threads, Sent copies, habits and forged replies trigger every email comparison check.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding, Json } from '../src/model.js';
import { caseSettings, runCorpusChecks } from '../src/analyse/corpus.js';
import { signedFacts, threadLinksOf, type StoredEmailFacts } from '../src/analyse/email-facts.js';
import { emailFactsFromRaw, type EmailFacts } from '../src/checks/corpus.js';
import { emailChecks, threadQuote } from '../src/checks/email/index.js';
import { threadGroups, type ThreadLinks } from '../src/checks/email/thread-quote.js';
import { Case } from '../src/store/case.js';
import { CUTOFF, ORG_DOMAINS, writeE2ELab } from './fixtures/e2e-lab.js';
import { tamis } from './helpers/cli.js';

const plain = (f: Finding): Json => ({ check: f.check, severity: f.severity, message: f.message, evidence: f.evidence });

describe('the email comparison stage', () => {
  let base: string;
  let kase: Case;

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'tamis-corpus-'));
    await writeE2ELab(base);
    const args = ['ingest', 'dump', '--case', 'case', '--keys', 'keys.jsonl', '--cutoff', CUTOFF, ...ORG_DOMAINS.flatMap((d) => ['--org', d]), '--quiet'];
    const run = tamis(args, base);
    if (run.status !== 0) throw new Error(`tamis ingest exited with ${run.status}: ${run.stderr}`);
    kase = await Case.openExisting(join(base, 'case'));
  }, 120_000);

  afterAll(() => {
    kase?.close();
    if (base) rmSync(base, { recursive: true, force: true });
  });

  it('finds exactly what every check finds over the whole case at once', async () => {
    const emails: EmailFacts[] = [];
    for (const { id } of kase.itemSummaries()) {
      const item = kase.item(id)!;
      if (item.mediaType !== 'message/rfc822' || item.metadata['rebuiltFrom']) continue;
      const own = kase.findingsOf(id).filter((f) => f.stage === 'analysis');
      emails.push(
        await emailFactsFromRaw(id, await kase.blobs.read(item.sha256), {
          signed: signedFacts(Array.isArray(item.metadata['dkim']) ? item.metadata['dkim'] : []),
          verified: own.some((f) => f.proof === 'proves') && !own.some((f) => f.proof === 'disproves'),
          occurrencePaths: kase.occurrencesOf(id).map((o) => o.path),
        }),
      );
    }
    const settings = caseSettings(kase);
    const whole = emailChecks.map((c) => c.run(emails, settings));
    let flagged = 0;
    const checks = new Set<string>();
    for (const e of emails) {
      const expected = whole.flatMap((m) => m.get(e.itemId) ?? []);
      const stored = kase.findingsOf(e.itemId).filter((f) => f.stage === 'corpus');
      expect(stored.map(plain), `item ${e.itemId}`).toEqual(expected.map(plain));
      if (expected.length > 0) flagged++;
      for (const f of expected) checks.add(f.check);
    }
    // The comparison is only worth something if the dump makes every check speak.
    expect(flagged).toBeGreaterThan(10);
    expect([...checks].sort()).toEqual(emailChecks.map((c) => c.meta.id).sort());
  });

  it('gives the same findings when run again over the same case', () => {
    const before = kase.allFindings().filter((f) => f.stage === 'corpus').map((f) => [f.itemId, plain(f)]);
    runCorpusChecks(kase);
    expect(kase.allFindings().filter((f) => f.stage === 'corpus').map((f) => [f.itemId, plain(f)])).toEqual(before);
  });

  it('runs the thread check on groups that leave out unrelated mail', () => {
    const links: ThreadLinks[] = [];
    for (const r of kase.emailFacts()) links.push(threadLinksOf(r.itemId, JSON.parse(r.facts) as StoredEmailFacts));
    const groups = threadGroups(links);
    const grouped = groups.flat();
    expect(new Set(grouped).size).toBe(grouped.length); // each email in one group at most
    expect(groups.every((g) => g.length >= 2)).toBe(true);
    // Every email the thread check flags sits in a group; most of the dump is in none.
    const flaggedByThread = kase.allFindings().filter((f) => f.check === threadQuote.meta.id).map((f) => f.itemId);
    expect(flaggedByThread.length).toBeGreaterThan(0);
    for (const id of flaggedByThread) expect(grouped).toContain(id);
    expect(grouped.length).toBeLessThan(links.length / 2);
  });
});
