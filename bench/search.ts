// Search latency on a synthetic 100,000-item case: `npx tsx bench/search.ts [items]`.
// Items, verdicts, findings and index rows are written straight through the Case and index APIs
// (no email parsing), then a fixed mix of queries is timed end to end (hits, count and all facets).
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { VERDICTS } from '../src/model.js';
import { Case } from '../src/store/case.js';
import { addToIndex, ensureSearchSchema } from '../src/search/index.js';
import { searchCase } from '../src/search/search.js';
import { Prng } from './lib/prng.js';

const N = Number(process.argv[2] ?? 100_000);

const prng = new Prng(42);
const rand = (): number => prng.next();
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
/** Zipf-ish: early words far more frequent, like real text. */
const zipf = <T>(xs: readonly T[]): T => xs[Math.floor(xs.length * rand() ** 3)] as T;

// Function words are in nearly every message; topic words in some; a long tail of rare words in few.
const STOP = 'le la les de des du un une et à en pour que qui dans sur pas plus avec par the of and to in is for on that with as be by are from at'.split(' ');
const TOPIC = (
  'réunion élysée budget campagne meeting draft contrat facture virement compte banque offshore dossier rapport note réponse ' +
  'urgent demain jeudi vendredi signature document présentation stratégie sondage presse communiqué déplacement hôtel ' +
  'invoice account transfer payment schedule agenda minutes confidential leak strategy poll release travel hotel flight ticket'
).split(' ');
const TAIL = Array.from({ length: 20_000 }, (_, i) => `mot${i.toString(36)}`);
const RARE = Array.from({ length: 5000 }, (_, i) => `terme${i.toString(36)}`);
const PEOPLE = Array.from({ length: 400 }, (_, i) => `person${i}`);
const DOMAINS = ['en-marche.fr', 'example.org', 'gouv.fr', 'gmail.com', 'lemonde.fr', 'evil.example', 'mail.ru', 'orange.fr'];
const CHECKS = ['dkim.body-hash', 'dkim.signature', 'received.order', 'date.future', 'mailer.fingerprint', 'doc.after-cutoff'];

function sentence(len: number): string {
  const w: string[] = [];
  for (let i = 0; i < len; i++) {
    const r = rand();
    w.push(r < 0.5 ? zipf(STOP) : r < 0.52 ? pick(TOPIC) : r < 0.995 ? zipf(TAIL) : pick(RARE));
  }
  return w.join(' ');
}

async function build(dir: string): Promise<Case> {
  const kase = await Case.open(dir);
  ensureSearchSchema(kase.db);
  const t0 = performance.now();
  const BATCH = 5000;
  for (let start = 0; start < N; start += BATCH) {
    kase.transaction(() => {
      for (let i = start; i < Math.min(N, start + BATCH); i++) {
        const sha = createHash('sha256').update(`item-${i}`).digest('hex');
        const email = rand() < 0.85;
        const { id } = kase.upsertItem(sha, 1000 + i, email ? 'message/rfc822' : 'application/pdf', email ? 'email' : 'document');
        const sender = `${zipf(PEOPLE)}@${zipf(DOMAINS)}`;
        const date = new Date(Date.UTC(2015, 0, 1) + rand() * 3 * 365 * 86_400_000).toISOString();
        const meta = { subject: sentence(6), from: sender, date };
        kase.setAnalysis(id, 'bench', meta);
        const verdict = zipf(VERDICTS);
        kase.setVerdict(id, verdict, '');
        if (rand() < 0.4) {
          kase.addFinding(id, 'analysis', { check: zipf(CHECKS), severity: 'warning', message: `finding ${i}`, evidence: {} });
        }
        const mediaType = email ? 'message/rfc822' : 'application/pdf';
        addToIndex(kase.db, { id, analysedWith: 'bench', verdict, kind: email ? 'email' : 'document', mediaType }, {
          subject: meta.subject,
          sender,
          senderAddress: sender,
          recipients: [`${zipf(PEOPLE)}@${zipf(DOMAINS)}`, `${zipf(PEOPLE)}@${zipf(DOMAINS)}`],
          body: email ? sentence(80 + Math.floor(rand() * 200)) : '',
          attachments: rand() < 0.2 ? [`${pick(TOPIC)}.pdf`] : [],
          doctext: email ? '' : sentence(300),
          date,
          signed: rand() < 0.6,
          threadKey: `<t${Math.floor(rand() * N * 0.4)}@bench>`,
          title: meta.subject,
        });
      }
    });
  }
  kase.db.exec("INSERT INTO search_fts(search_fts) VALUES('optimize')");
  kase.db.exec('ANALYZE');
  console.log(`built ${N} items in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return kase;
}

const QUERIES = [
  'élysée',
  'budget',
  'reunion budget',
  'confidential',
  '"réunion élysée"',
  'offsh*',
  'virement OR transfer',
  'facture -invoice',
  `${RARE[17] ?? ''}`,
  `${RARE[900] ?? ''} OR ${RARE[901] ?? ''}`,
  'from:person3',
  'to:person12 budget',
  'domain:en-marche.fr',
  'verdict:tampered',
  'verdict:tampered domain:mail.ru',
  'check:dkim',
  'check:dkim.body-hash élysée',
  'has:attachment hotel',
  'date:2016-03..2016-04',
  'date:2017 kind:document rapport',
  'le',
  '',
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

// TAMIS_BENCH_DIR keeps the synthetic case between runs (built once, reused after).
const keep = process.env['TAMIS_BENCH_DIR'];
const dir = keep ?? mkdtempSync(join(tmpdir(), 'tamis-bench-'));
try {
  const kase = keep && existsSync(join(keep, 'case.db')) ? await Case.open(keep) : await build(dir);
  for (const q of QUERIES) searchCase(kase.db, { q }); // warm the page cache
  const all: number[] = [];
  const perQuery: [string, number, number][] = [];
  for (const q of QUERIES) {
    const times: number[] = [];
    for (const sort of ['relevance', 'date'] as const) {
      for (let r = 0; r < 5; r++) {
        const t = performance.now();
        const res = searchCase(kase.db, { q, sort });
        times.push(performance.now() - t);
        if (r === 0 && sort === 'relevance') perQuery.push([q, res.total, 0]);
      }
    }
    times.sort((a, b) => a - b);
    const last = perQuery[perQuery.length - 1];
    if (last) last[2] = percentile(times, 50);
    all.push(...times);
  }
  all.sort((a, b) => a - b);
  for (const [q, total, p50] of perQuery) console.log(`${p50.toFixed(1).padStart(7)} ms  ${String(total).padStart(6)} hits  ${q || '(empty)'}`);
  console.log(`search incl. facets over ${N} items, ${all.length} runs: p50 ${percentile(all, 50).toFixed(1)} ms, p95 ${percentile(all, 95).toFixed(1)} ms, max ${(all[all.length - 1] ?? 0).toFixed(1)} ms`);
  kase.close();
} finally {
  if (!keep) rmSync(dir, { recursive: true, force: true });
}
