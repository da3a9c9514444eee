// The end-to-end lab: a labelled dump (real DKIM signatures, a key archive, mailboxes as .eml folders,
// mbox files and a zip, loose documents) through the real CLI ingest and analysis, scored from the
// case's own verdicts and findings. Unlike the forgery and document labs, nothing is given as a fact.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding, Json, Verdict } from '../src/model.js';
import { Case } from '../src/store/case.js';
import { CUTOFF, ORG_DOMAINS, signingKeys, writeE2ELab, type E2ELab, type E2ELabel } from './fixtures/e2e-lab.js';
import { tamis } from './helpers/cli.js';

interface Scored {
  label: E2ELabel;
  id: number;
  verdict: Verdict;
  reason: string;
  findings: Finding[];
  dkim: { [key: string]: Json }[];
  occurrences: { path: string; parent: number | null }[];
}

const alarm = (f: Finding): boolean => f.severity !== 'info';
const flagged = (s: Scored): boolean => s.verdict === 'suspicious' || s.verdict === 'tampered';
const alarmedBy = (s: Scored, check: string): boolean => s.findings.some((f) => f.check === check && alarm(f));
const pct = (n: number, d: number): string => `${((100 * n) / Math.max(d, 1)).toFixed(1)} %`;
const describeItem = (s: Scored): string =>
  `${s.label.paths[0]} [${s.label.group}] ${s.label.note}: ${s.verdict} (${s.findings.filter(alarm).map((f) => `${f.check}: ${f.message}`).join(' | ') || s.reason})`;

async function runLab(): Promise<{ base: string; lab: E2ELab; scored: Scored[]; unlabelled: string[]; ms: number }> {
  const base = mkdtempSync(join(tmpdir(), 'tamis-e2e-'));
  const lab = await writeE2ELab(base);
  const started = performance.now();
  const args = ['ingest', 'dump', '--case', 'case', '--keys', 'keys.jsonl', '--cutoff', CUTOFF, ...ORG_DOMAINS.flatMap((d) => ['--org', d]), '--quiet'];
  const run = tamis(args, base);
  if (run.status !== 0) throw new Error(`tamis ingest exited with ${run.status}: ${run.stderr}`);
  const ms = performance.now() - started;
  const kase = await Case.openExisting(join(base, 'case'));
  const scored: Scored[] = [];
  const unlabelled: string[] = [];
  try {
    for (const { id, sha256 } of kase.itemSummaries()) {
      const item = kase.item(id)!;
      const occurrences = kase.occurrencesOf(id).map((o) => ({ path: o.path, parent: o.parentId }));
      const label = lab.labels.get(sha256);
      if (!label) {
        unlabelled.push(`${occurrences[0]?.path ?? `#${id}`} (${item.mediaType})`);
        continue;
      }
      const dkim = Array.isArray(item.metadata['dkim']) ? (item.metadata['dkim'] as { [key: string]: Json }[]) : [];
      scored.push({ label, id, verdict: item.verdict, reason: item.verdictReason, findings: kase.findingsOf(id), dkim, occurrences });
    }
  } finally {
    kase.close();
  }
  return { base, lab, scored, unlabelled, ms };
}

describe('end-to-end lab: a labelled dump through the real ingest and analysis', () => {
  let base: string;
  let lab: E2ELab;
  let scored: Scored[];
  let unlabelled: string[];
  let authentic: Scored[];
  let forged: Scored[];
  let checks: string[];
  const withFeature = (f: string, copies: 'delivered' | 'all' = 'delivered'): Scored[] =>
    scored.filter((s) => s.label.authentic && s.label.features.includes(f) && (copies === 'all' || !s.label.features.includes('sent-copy')));

  beforeAll(async () => {
    const r = await runLab();
    ({ base, lab, scored, unlabelled } = r);
    authentic = scored.filter((s) => s.label.authentic);
    forged = scored.filter((s) => !s.label.authentic);
    checks = [...new Set(forged.map((s) => s.label.check!))].sort();
    console.log(`e2e lab: ${scored.length} items (${authentic.length} authentic, ${forged.length} forged), ingest + analysis ${(r.ms / 1000).toFixed(1)} s`);
  }, 240_000);
  afterAll(() => {
    if (base) rmSync(base, { recursive: true, force: true });
  });

  it('is a plausible dump: every item labelled, every layout and scenario present', () => {
    expect(unlabelled).toEqual([]);
    expect(scored.length).toBe(lab.labels.size);
    expect(authentic.length).toBeGreaterThanOrEqual(150);
    expect(forged.length).toBeGreaterThanOrEqual(40);
    for (const check of checks) expect(forged.filter((s) => s.label.check === check).length, check).toBeGreaterThanOrEqual(3);
    for (const f of ['rsa', 'ed25519', 'rotated-selector', 'rotated-same-selector', 'expired-x', 'relaxed-rewrite', 'list-arc', 'l=', 'c=simple', 'c=relaxed',
      'forward-inner', 'forward-outer', 'inherit', 'loose-copy-of-verified', 'mbox', 'zip', 'loose']) {
      expect(scored.filter((s) => s.label.authentic && s.label.features.includes(f)).length, f).toBeGreaterThanOrEqual(3);
    }
    expect(withFeature('sent-copy', 'all').length).toBeGreaterThanOrEqual(50);
    const paths = scored.flatMap((s) => s.occurrences.map((o) => o.path));
    expect(paths.some((p) => /^dump\/mail\/\w+\/Inbox\/\d+\.eml$/.test(p))).toBe(true);
    expect(paths.some((p) => /\/Sent Messages\.mbox\/mbox!\d+\.eml$/.test(p))).toBe(true);
    expect(paths.some((p) => /\.zip!david\/Sent Items\//.test(p))).toBe(true);
    expect(paths.some((p) => /^dump\/docs\/notes\//.test(p))).toBe(true);
    for (const c of ['dkim.body-hash', 'dkim.header-signature', 'dkim.unsigned-header', 'dkim.unsigned-content', 'received.order', 'mailer.fingerprint',
      'dkim.signing-habit', 'auth-results.contradiction', 'thread.quote', 'doc.after-cutoff', 'doc.near-copy-of-verified']) {
      expect(checks).toContain(c);
    }
  });

  it('every forgery is caught by the check it was made for', () => {
    const missed = forged.filter((s) => !alarmedBy(s, s.label.check!)).map(describeItem);
    expect(missed).toEqual([]);
  });

  it('recall ≥ 0.95 and false alarms ≤ 2 %, per check and overall', () => {
    const rows = [`${'check'.padEnd(28)} ${'forged'.padStart(6)} ${'caught'.padStart(6)} ${'recall'.padStart(6)}  ${'false alarms'.padStart(16)}`];
    for (const check of checks) {
      const mine = forged.filter((s) => s.label.check === check);
      const caught = mine.filter((s) => alarmedBy(s, check)).length;
      // A false alarm of a check: an authentic item it made suspicious or tampered.
      const fa = authentic.filter((s) => flagged(s) && alarmedBy(s, check));
      rows.push(`${check.padEnd(28)} ${String(mine.length).padStart(6)} ${String(caught).padStart(6)} ${(caught / mine.length).toFixed(2).padStart(6)}  ${`${fa.length}/${authentic.length} (${pct(fa.length, authentic.length)})`.padStart(16)}`);
      expect(caught / mine.length, check).toBeGreaterThanOrEqual(0.95);
      expect(fa.length / authentic.length, `${check}: ${fa.map(describeItem).join('; ')}`).toBeLessThanOrEqual(0.02);
    }
    const caught = forged.filter(flagged);
    const fa = authentic.filter(flagged);
    rows.push(`${'all (verdict)'.padEnd(28)} ${String(forged.length).padStart(6)} ${String(caught.length).padStart(6)} ${(caught.length / forged.length).toFixed(2).padStart(6)}  ${`${fa.length}/${authentic.length} (${pct(fa.length, authentic.length)})`.padStart(16)}`);
    const verdicts = (xs: Scored[]): string => (['verified', 'consistent', 'suspicious', 'tampered'] as const).map((v) => `${v} ${xs.filter((s) => s.verdict === v).length}`).join(', ');
    rows.push('', `authentic: ${verdicts(authentic)}`, `forged:    ${verdicts(forged)}`);
    console.log(`e2e lab (forged = caught when suspicious or tampered; false alarm = authentic item made suspicious or tampered)\n${rows.join('\n')}`);
    if (fa.length) console.log(`false alarms:\n${fa.map(describeItem).join('\n')}`);
    expect(caught.length / forged.length).toBeGreaterThanOrEqual(0.95);
    expect(fa.length / authentic.length).toBeLessThanOrEqual(0.02);
  });

  it('no authentic item is tampered; every DKIM-level alteration is, with the proof from its check', () => {
    expect(authentic.filter((s) => s.verdict === 'tampered').map(describeItem)).toEqual([]);
    const dkimTampered = forged.filter((s) => s.label.expect === 'tampered');
    expect(dkimTampered.length).toBeGreaterThanOrEqual(12);
    for (const s of dkimTampered) {
      expect(s.verdict, describeItem(s)).toBe('tampered');
      expect(s.findings.some((f) => f.check === s.label.check && f.proof === 'disproves'), describeItem(s)).toBe(true);
    }
  });

  it('every item gets the verdict it was built to get', () => {
    const wrong = scored.filter((s) => s.label.expect !== undefined && s.verdict !== s.label.expect).map((s) => `expected ${s.label.expect}: ${describeItem(s)}`);
    expect(wrong).toEqual([]);
    expect(scored.filter((s) => s.label.expect === 'verified').length).toBeGreaterThanOrEqual(150);
  });

  it('rotated keys: a changed selector and two archived values of one selector both verify with the key of their time', () => {
    const keys = signingKeys();
    const oldSelector = withFeature('rotated-selector');
    const sameSelector = withFeature('rotated-same-selector');
    const proofOf = (s: Scored): Finding | undefined => s.findings.find((f) => f.check === 'dkim.signature' && f.proof === 'proves');
    for (const s of oldSelector) {
      expect(s.verdict, describeItem(s)).toBe('verified');
      expect(proofOf(s)?.evidence['s']).toBe('s2016');
    }
    for (const s of sameSelector) {
      expect(s.verdict, describeItem(s)).toBe('verified');
      // selector1 has two archived values; the older one verifies.
      expect(proofOf(s)?.evidence['keyLastSeenAt'], describeItem(s)).toBe(keys.partnerOld.lastSeenAt);
    }
    const afterRotation = withFeature('expired-x').filter((s) => s.label.group !== 'list-arc');
    for (const s of afterRotation) expect(proofOf(s)?.evidence['keyFirstSeenAt'], describeItem(s)).toBe(keys.partnerNew.firstSeenAt);
    expect(oldSelector.length).toBeGreaterThanOrEqual(20);
    expect(sameSelector.length).toBeGreaterThanOrEqual(3);
  });

  it('expired signatures (x= long past, after the message date) are judged at the message date: verified', () => {
    const expired = withFeature('expired-x').filter((s) => s.label.group !== 'list-arc');
    expect(expired.length).toBeGreaterThanOrEqual(4);
    for (const s of expired) {
      expect(s.verdict, describeItem(s)).toBe('verified');
      const x = s.findings.find((f) => f.check === 'dkim.expiry');
      expect(x?.severity, describeItem(s)).toBe('info');
      expect(Date.parse(String(x?.evidence['expiresAt']))).toBeLessThan(Date.now());
    }
  });

  it('Ed25519 signatures verify next to RSA ones (RFC 8463 dual signing)', () => {
    const dual = withFeature('ed25519');
    expect(dual.length).toBeGreaterThanOrEqual(20);
    for (const s of dual) {
      const ed = s.dkim.find((r) => r['algorithm'] === 'ed25519-sha256');
      expect(ed?.['result'], describeItem(s)).toBe('pass');
      expect(s.dkim.find((r) => r['algorithm'] === 'rsa-sha256')?.['result'], describeItem(s)).toBe('pass');
    }
  });

  it('relaxed canonicalisation absorbs re-folded headers and padded lines: verified', () => {
    const rewritten = withFeature('relaxed-rewrite');
    expect(rewritten.length).toBeGreaterThanOrEqual(6);
    for (const s of rewritten) {
      expect(s.verdict, describeItem(s)).toBe('verified');
      expect(s.dkim.every((r) => r['canonicalization'] === 'relaxed/relaxed' && r['result'] === 'pass'), describeItem(s)).toBe(true);
    }
  });

  it('mailing-list copies: the author signature is broken, ARC explains it, the item is consistent, never tampered', () => {
    const list = withFeature('list-arc');
    expect(list.length).toBeGreaterThanOrEqual(6);
    for (const s of list) {
      expect(s.verdict, describeItem(s)).toBe('consistent');
      // The author's signature provably fails (Subject tag, footer)…
      expect(s.findings.some((f) => f.check.startsWith('dkim.') && f.proof === 'disproves'), describeItem(s)).toBe(true);
      // …and the list's ARC seal records that it passed on arrival.
      expect(s.findings.find((f) => f.check === 'arc.chain')?.evidence['explains'], describeItem(s)).toBe(true);
    }
  });

  it('Sent-folder copies (no trace, no signature) stay consistent, in every mailbox layout', () => {
    const sent = withFeature('sent-copy', 'all').filter((s) => s.label.authentic);
    const layouts = new Set(sent.map((s) => s.occurrences[0]!.path.split('/').slice(0, 3).join('/')));
    expect(layouts.size).toBeGreaterThanOrEqual(5);
    expect(sent.filter((s) => s.verdict !== 'consistent').map(describeItem)).toEqual([]);
  });

  it('forwarded messages keep their own proof inside a signed or an unsigned forward', () => {
    const inner = withFeature('forward-inner');
    expect(inner.length).toBeGreaterThanOrEqual(3);
    for (const s of inner) {
      expect(s.verdict, describeItem(s)).toBe('verified');
      expect(s.findings.some((f) => f.check === 'dkim.signature' && f.proof === 'proves'), describeItem(s)).toBe(true);
      // Found both in a mailbox (or the forwarder's mailbox) and as the attachment of a forward.
      expect(s.occurrences.some((o) => o.parent !== null && /\.eml$/.test(o.path)), describeItem(s)).toBe(true);
    }
    const outer = withFeature('forward-outer');
    expect(outer.some((s) => s.verdict === 'verified') && outer.some((s) => s.verdict === 'consistent')).toBe(true);
  });

  it('documents inherit the proof of the signed mail that carried them, also where the same bytes lie loose', () => {
    const inherited = scored.filter((s) => s.label.authentic && s.label.features.includes('inherit'));
    expect(inherited.length).toBeGreaterThanOrEqual(50);
    for (const s of inherited) {
      expect(s.verdict, describeItem(s)).toBe('verified');
      expect(s.findings.some((f) => f.check === 'provenance.inherited'), describeItem(s)).toBe(true);
    }
    const loose = inherited.filter((s) => s.label.features.includes('loose-copy-of-verified'));
    expect(loose.length).toBeGreaterThanOrEqual(3);
    for (const s of loose) expect(s.occurrences.some((o) => o.parent === null), describeItem(s)).toBe(true);
  });

  it('is deterministic: the same labels, the same bytes, on a second build', async () => {
    const again = mkdtempSync(join(tmpdir(), 'tamis-e2e-again-'));
    try {
      const second = await writeE2ELab(again);
      const strip = (l: E2ELabel): string => JSON.stringify({ ...l, paths: [...l.paths].sort() });
      expect([...second.labels.values()].map(strip).sort()).toEqual([...lab.labels.values()].map(strip).sort());
    } finally {
      rmSync(again, { recursive: true, force: true });
    }
  });
});
