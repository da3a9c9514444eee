// The case's verdict pass reads items one at a time and holds only numbers (for flat memory on a
// large dump); it must decide exactly what the in-memory definition (decideVerdicts) decides from
// the same findings and occurrences, inherited proof and its evidence included.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeSampleDump } from '../scripts/make-sample-dump.js';
import { Case } from '../src/store/case.js';
import { applyVerdicts } from '../src/analyse/index.js';
import { decideVerdicts, type VerdictInput } from '../src/verdict/propagate.js';
import { tamis } from './helpers/cli.js';
import { strToU8, zipSync } from 'fflate';
import { keys, sign } from './dkim-fixtures.js';

/** Stored verdicts compared with decideVerdicts over the same case; returns how many items inherited proof. */
async function compareWithInMemory(caseDir: string): Promise<number> {
  const kase = await Case.open(caseDir);
  try {
    applyVerdicts(kase); // once more: stable, and the pass under test runs in this process
    const items: VerdictInput[] = kase.itemIds().map((id) => ({
      id,
      sha256: kase.sha256Of(id)!,
      findings: kase.findingsOf(id).filter((f) => f.stage !== 'verdict'),
      occurrences: kase
        .occurrencesOf(id)
        .sort((a, b) => a.id - b.id)
        .map((o) => ({ path: o.path, parent: o.parentId })),
    }));
    const expected = decideVerdicts(items);
    let inherited = 0;
    for (const { id } of items) {
      const want = expected.get(id)!;
      const row = kase.item(id)!;
      const derived = kase.findingsOf(id).filter((f) => f.stage === 'verdict').map(({ stage: _s, itemId: _i, ...f }) => f);
      expect({ id, verdict: row.verdict, reason: row.verdictReason, derived }).toEqual({ id, verdict: want.verdict, reason: want.reason, derived: want.derived });
      if (want.derived.length > 0) inherited++;
    }
    return inherited;
  } finally {
    kase.close();
  }
}

/** A DKIM-signed email carrying a zip whose member also sits loose in the dump: proof flows two levels down. */
async function writeNestedDump(base: string): Promise<void> {
  const csv = 'poste,montant\r\nsalle,1200\r\n';
  const zip = Buffer.from(zipSync({ 'q1/budget.csv': strToU8(csv), 'q1/notes.txt': strToU8('see budget\r\n') }));
  const body = zip.toString('base64').replace(/.{76}/g, '$&\r\n');
  const message =
    'From: Alice <alice@example.org>\r\nTo: bob@example.net\r\nSubject: Q1 budget\r\n' +
    'Date: Tue, 03 Mar 2015 12:00:00 +0000\r\nMessage-ID: <zip-1@example.org>\r\nMIME-Version: 1.0\r\n' +
    'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n' +
    '--b1\r\nContent-Type: text/plain\r\n\r\nThe budget is attached.\r\n' +
    '--b1\r\nContent-Type: application/zip; name="q1.zip"\r\nContent-Disposition: attachment; filename="q1.zip"\r\n' +
    `Content-Transfer-Encoding: base64\r\n\r\n${body}\r\n--b1--\r\n`;
  mkdirSync(join(base, 'dump', 'loose'), { recursive: true });
  writeFileSync(join(base, 'dump', 'budget.eml'), await sign(message));
  writeFileSync(join(base, 'dump', 'loose', 'budget.csv'), csv);
  writeFileSync(join(base, 'keys.jsonl'), `${JSON.stringify({ domain: 'example.org', selector: keys.rsa2048.selector, value: keys.rsa2048.record })}\n`);
}

describe('verdicts stored by the case', () => {
  it('match the in-memory decision on the sample dump, inherited proof included', async () => {
    const base = mkdtempSync(join(tmpdir(), 'tamis-verdict-case-'));
    await makeSampleDump(join(base, 'dump'));
    const caseDir = join(base, 'case');
    const ingest = tamis(['ingest', 'dump', '--case', caseDir, '--keys', 'keys.jsonl', '--quiet'], base);
    expect(ingest.status, ingest.stderr).toBe(2); // the sample's damaged zip

    // The sample has one attachment of a verified email that also sits elsewhere in the dump.
    expect(await compareWithInMemory(caseDir)).toBeGreaterThanOrEqual(1);
  });

  it('match it when proof flows through a zip attached to a verified email', async () => {
    const base = mkdtempSync(join(tmpdir(), 'tamis-verdict-nested-'));
    await writeNestedDump(base);
    const caseDir = join(base, 'case');
    const ingest = tamis(['ingest', 'dump', '--case', caseDir, '--keys', 'keys.jsonl', '--quiet'], base);
    expect(ingest.status, ingest.stderr).toBe(0);
    // The zip and both of its members inherit the email's proof.
    expect(await compareWithInMemory(caseDir)).toBe(3);
    const rep = tamis(['report', '--case', caseDir, '--format', 'json'], base);
    const report = JSON.parse(rep.stdout) as { items: { verdict: string; occurrences: { path: string }[] }[] };
    const csv = report.items.find((i) => i.occurrences.some((o) => o.path === 'dump/loose/budget.csv'));
    expect(csv?.verdict).toBe('verified');
  });
});
