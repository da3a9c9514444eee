// Runs the verifier over every message of ../shared/corpus/dkim and compares with the manifest's
// expected column. Every disagreement must be listed in EXPLAINED with its reason, and every
// listed one must still disagree, so the table cannot go stale.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { KeyStore } from '../src/keys/index.js';
import { verifyEmail } from '../src/dkim/index.js';
import type { DkimSignatureResult, EmailAuthResult } from '../src/dkim/types.js';
import { dkimChecks } from '../src/checks/dkim/index.js';
import { describeCorpus } from './helpers/corpus.js';

const ROOT = '../shared/corpus/dkim/';

const PRE_RFC = 'pre-RFC 6376 draft signature (no v= or v=0.5, q=dns): RFC 6376 requires v=1, so we report permerror (crypto reported separately: cryptoValid)';
const EXPLAINED: Record<string, string> = {
  'messages/mail-dkim/good_ietf01_1.eml': PRE_RFC,
  'messages/mail-dkim/good_ietf01_2.eml': PRE_RFC,
  'messages/mail-dkim/mine_ietf01_1.eml': PRE_RFC,
  'messages/mail-dkim/mine_ietf01_2.eml': PRE_RFC,
  'messages/mail-dkim/mine_ietf01_3.eml': PRE_RFC,
  'messages/mail-dkim/mine_ietf01_4.eml': PRE_RFC,
  'messages/mail-dkim/mine_ietf05_1.eml': PRE_RFC,
  'messages/mail-dkim/multiple_1.eml': PRE_RFC,
  'messages/mail-dkim/no_body_1.eml': PRE_RFC,
  'messages/mail-dkim/no_body_2.eml': PRE_RFC,
  'messages/mail-dkim/no_body_3.eml': PRE_RFC,
  'messages/mail-dkim/bad_1.eml': `${PRE_RFC}; Mail::DKIM says fail, we say permerror (the header signature fails too)`,
  'messages/mail-dkim/bad_ietf01_1.eml': `${PRE_RFC}; Mail::DKIM says fail, we say permerror (body hash fails too)`,
  'messages/mail-dkim/bad_ietf01_2.eml': `${PRE_RFC}; Mail::DKIM says fail, we say permerror (header signature fails too)`,
  'messages/mail-dkim/bad_ietf01_3.eml': `${PRE_RFC}; Mail::DKIM says fail, we say permerror (header signature fails too)`,
  'messages/mail-dkim/ignore_7.eml':
    'x= (2007-10-24) is after the message Date: (2005-12-07): we judge expiry at the message date, so the signature is valid; Mail::DKIM judges at today\'s clock',
};

interface Row {
  file: string;
  expected: string;
  keyFiles: string[];
}

function manifest(): Row[] {
  return readFileSync(`${ROOT}MANIFEST.tsv`, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => {
      const [file = '', , , , expected = '', , keys = '-'] = l.split('\t');
      return { file, expected, keyFiles: keys === '-' ? [] : keys.split(' ') };
    });
}

const proves = (auth: EmailAuthResult): boolean => dkimChecks.some((c) => c.run({ auth }).some((f) => f.proof === 'proves'));

/** Does one signature clause of the expected column (`pass`, `fail(body hash)`, `no key`...) hold? */
function clauseHolds(clause: string, s: DkimSignatureResult | undefined, auth: EmailAuthResult): boolean {
  if (!s) return false;
  const c = clause.trim();
  if (c.startsWith('pass')) return s.result === 'pass';
  if (c.startsWith('expired now')) return s.result === 'pass' && s.time.expiredAtMessageDate === false;
  if (c.startsWith('crypto-valid')) return s.cryptoValid && !proves(auth);
  if (c.startsWith('fail/permerror')) return s.result === 'fail' || s.result === 'permerror';
  if (c.startsWith('permerror')) return s.result === 'permerror';
  if (c.startsWith('no key')) return s.result === 'nokey';
  if (c.startsWith('key revoked')) return s.headerSignature.keysTried.some((k) => k.outcome === 'revoked') && s.result !== 'pass';
  if (c.startsWith('fail')) {
    if (s.result !== 'fail') return false;
    if (/body/.test(c) && s.bodyHash.status !== 'fail') return false;
    if (/\(signature\)/.test(c) && s.headerSignature.status !== 'fail') return false;
    if (/header signature valid/.test(c) && s.headerSignature.status !== 'pass') return false;
    return true;
  }
  throw new Error(`unknown expectation clause ${JSON.stringify(c)}`);
}

function agrees(expected: string, auth: EmailAuthResult): boolean {
  const md = /^Mail::DKIM result=(pass|fail|invalid)$/.exec(expected);
  const overall = auth.signatures.some((s) => s.result === 'pass') ? 'pass' : auth.signatures.some((s) => s.result === 'fail') ? 'fail' : 'invalid';
  if (md) return overall === md[1];
  const over = /overall=(\w+)/.exec(expected);
  if (over) return overall === over[1];
  if (expected.startsWith('unsigned')) return auth.signatures.length === 0 && auth.arc.chain === 'none';
  let ok = true;
  const arc = /ARC cv=(\w+)/i.exec(expected);
  if (arc?.[1]) ok &&= auth.arc.chain === arc[1].toLowerCase();
  if (/DKIM fail\(body\)/.test(expected)) ok &&= clauseHolds('fail(body)', auth.signatures[0], auth);
  const dkimPart = expected.replace(/;?\s*ARC cv=.*$/i, '').replace(/;\s*body hash ok$/, '');
  const re = /sig(\d+)(?:\([^)]*\))?=/g;
  const marks = [...dkimPart.matchAll(re)];
  marks.forEach((m, k) => {
    const start = (m.index ?? 0) + m[0].length;
    const end = marks[k + 1]?.index ?? dkimPart.length;
    ok &&= clauseHolds(dkimPart.slice(start, end), auth.signatures[Number(m[1]) - 1], auth);
  });
  if (/body hash ok/.test(expected)) ok &&= auth.signatures.every((s) => s.bodyHash.status === 'pass');
  if (marks.length === 0 && !arc && !/DKIM fail/.test(expected)) throw new Error(`unparsed expectation ${expected}`);
  return ok;
}

describeCorpus('DKIM/ARC conformance over ../shared/corpus/dkim', () => {
  it('agrees with the expected column, or the difference is explained', async () => {
    const rows = manifest();
    expect(rows.length).toBeGreaterThanOrEqual(269);
    const disagree: string[] = [];
    for (const row of rows) {
      const keys = await KeyStore.load(row.keyFiles.map((k) => ROOT + k));
      const auth = await verifyEmail(readFileSync(ROOT + row.file), { keys });
      if (!agrees(row.expected, auth)) disagree.push(row.file);
    }
    const explained = disagree.filter((f) => EXPLAINED[f]);
    console.log(`DKIM conformance: ${rows.length - disagree.length}/${rows.length} agree with expected; explained: ${explained.length}`);
    expect(disagree.filter((f) => !EXPLAINED[f])).toEqual([]);
    expect(Object.keys(EXPLAINED).filter((f) => !disagree.includes(f))).toEqual([]);
  });

  it('verifies every ARC test-suite message with the keys of its own YAML document', async () => {
    const arcRows = manifest().filter((r) => r.file.includes('/arc-test-suite/'));
    expect(arcRows.length).toBe(170);
    let agree = 0;
    for (const row of arcRows) {
      const keys = await KeyStore.load(row.keyFiles.map((k) => ROOT + k));
      const auth = await verifyEmail(readFileSync(ROOT + row.file), { keys });
      if (auth.arc.chain === /cv=(\w+)/.exec(row.expected)?.[1]?.toLowerCase()) agree++;
    }
    console.log(`ARC conformance: ${agree}/${arcRows.length} chain results agree with the ValiMail suite`);
    expect(agree).toBe(arcRows.length);
  });
});
