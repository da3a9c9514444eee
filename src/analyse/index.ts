import { createHash } from 'node:crypto';
import type { Case, ItemRow, StoredKey } from '../store/case.js';
import { KeyStore, chainResolvers, dnsResolver, type KeyResolver } from '../keys/index.js';
import {
  carrierOccurrence,
  carriersByPath,
  coveringRoot,
  inheritedVerdict,
  promotions,
  type CarriedItem,
} from '../verdict/propagate.js';
import { ownVerdict, proofSummary, type OwnVerdict } from '../verdict/rules.js';
import type { Json, Verdict } from '../model.js';
import { analyseEmail, type EmailAnalysis } from './email.js';
import { caseSettings, runCorpusChecks } from './corpus.js';
import { runDocumentChecks } from './documents.js';
import { MAX_EXTRACT_BYTES, analyseDocument, tooLargeToParse, type DocumentAnalysis } from './document.js';
import { nameFindings } from '../ingest/name-claim.js';
import { ExtractPool } from '../extract/pool.js';
import { HeapGovernor, collectGarbage } from '../util/heap.js';
import { encodeSketch, sketchOf } from '../nearcopy/index.js';

const ANALYSIS_CONCURRENCY = 8;

/** Bump when checks change so existing cases are re-analysed. */
const ANALYSIS_VERSION = 'tamis-analysis-3'; // 3: emails' comparison facts stored (email_facts)

/** Stages of the analysis, each its own progress bar: work done of a known total, in `unit`s. */
export type AnalyseStage = 'verifying' | 'extracting' | 'comparing' | 'deciding';
export interface StageProgress {
  stage: AnalyseStage;
  done: number;
  total: number;
  unit: string;
}

export interface AnalyseOptions {
  dns?: boolean;
  onProgress?: (done: number, total: number) => void;
  /** Per stage: emails verified, documents extracted, comparison passes, verdict passes. */
  onStage?: (p: StageProgress) => void;
}

export interface AnalyseStats {
  analysed: number;
  /** Items analysed in this run that could not be read fully (an `ingest.*` warning: corrupt, mislabelled...). */
  unreadable: number;
  /** Wall-clock seconds per stage, for the ingest summary and the benchmarks. */
  seconds: {
    /** DKIM/ARC verification and document extraction, item by item. */
    items: number;
    /** Checks that compare items with each other: email corpus checks, then document checks (near copies…). */
    corpus: number;
    documents: number;
    verdicts: number;
  };
}

const since = (t: number): number => (performance.now() - t) / 1000;

/**
 * Runs the per-item checks on every item not yet analysed with the current key set and check
 * version, then recomputes case-wide verdicts. Keys are part of the case: adding an archive later
 * re-checks the mail it can now verify.
 */
export async function analyseCase(kase: Case, opts: AnalyseOptions = {}): Promise<AnalyseStats> {
  const keys = kase.keys();
  const store = new KeyStore();
  for (const k of keys) store.add(k);
  const resolver: KeyResolver = opts.dns ? chainResolvers(store, recordingDns(kase)) : store;
  const key = analysisKey(keys, opts.dns === true);
  const seconds = { items: 0, corpus: 0, documents: 0, verdicts: 0 };
  let t = performance.now();
  const todo = kase.itemsNeedingAnalysis(key);
  let done = 0;
  let unreadable = 0;
  const kinds = opts.onStage ? kase.kindsNeedingAnalysis(key) : { emails: 0, documents: 0, other: 0 };
  let verified = 0;
  let extracted = 0;
  const stage = (p: StageProgress): void => opts.onStage?.(p);
  collectGarbage(); // the reading stage's garbage, before the extraction worker adds its own heap
  const pool = new ExtractPool();
  const heap = new HeapGovernor(16 * 1024 * 1024);
  try {
    // A few items in flight: emails are verified on this thread while documents are parsed in the
    // worker. Each item's results are written on their own, so the order of completion does not matter.
    const inFlight = new Set<Promise<void>>();
    for (const id of todo) {
      const item = kase.item(id);
      if (!item) continue;
      const task = analyseItem(kase, item, resolver, pool).then((a) => {
        kase.transaction(() => {
          kase.replaceFindings(item.id, 'analysis', a.findings);
          if (a.findings.some((f) => f.check.startsWith('ingest.') && f.severity !== 'info')) unreadable++;
          if (a.text !== undefined || a.cells !== undefined) {
            kase.setText(item.id, a.text, a.language, a.cells);
            kase.setSketch(item.id, encodeSketch(sketchOf(a)));
          }
          if (item.mediaType === 'message/rfc822') kase.setEmailFacts(item.id, a.emailFacts && JSON.stringify(a.emailFacts));
          kase.setAnalysis(item.id, key, a.metadata);
        });
        opts.onProgress?.(++done, todo.length);
        if (item.mediaType === 'message/rfc822') stage({ stage: 'verifying', done: ++verified, total: kinds.emails, unit: 'emails' });
        else if (item.kind === 'document' || item.kind === 'image') stage({ stage: 'extracting', done: ++extracted, total: kinds.documents, unit: 'documents' });
        heap.tick();
      });
      const tracked = task.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
      if (inFlight.size >= ANALYSIS_CONCURRENCY) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  } finally {
    await pool.close();
  }
  seconds.items = since(t);
  collectGarbage();
  // Comparisons between items change whenever any item or a case setting changes.
  const settingsKey = JSON.stringify(caseSettings(kase));
  if (todo.length > 0 || kase.getSetting('corpus-checked-with') !== `${key} ${settingsKey}`) {
    t = performance.now();
    // Comparison passes: email checks (threads, habits, fingerprints), verdicts they need, document checks.
    stage({ stage: 'comparing', done: 0, total: 3, unit: 'passes' });
    runCorpusChecks(kase);
    seconds.corpus = since(t);
    stage({ stage: 'comparing', done: 1, total: 3, unit: 'passes' });
    collectGarbage();
    // Document checks lean on verdicts (a verified carrier, a verified original of a near copy),
    // so verdicts are decided first and once more with their findings.
    t = performance.now();
    applyVerdicts(kase);
    seconds.verdicts += since(t);
    stage({ stage: 'comparing', done: 2, total: 3, unit: 'passes' });
    t = performance.now();
    await runDocumentChecks(kase);
    seconds.documents = since(t);
    stage({ stage: 'comparing', done: 3, total: 3, unit: 'passes' });
    collectGarbage();
    kase.setSetting('corpus-checked-with', `${key} ${settingsKey}`);
  }
  t = performance.now();
  stage({ stage: 'deciding', done: 0, total: 1, unit: 'pass' });
  applyVerdicts(kase);
  seconds.verdicts += since(t);
  stage({ stage: 'deciding', done: 1, total: 1, unit: 'pass' });
  return { analysed: todo.length, unreadable, seconds };
}

async function analyseItem(kase: Case, item: ItemRow, keys: KeyResolver, pool: ExtractPool): Promise<DocumentAnalysis & EmailAnalysis> {
  const name = kase.occurrencesOf(item.id)[0]?.path.split(/[!/]/).pop() ?? '';
  if (item.mediaType === 'message/rfc822') {
    const email = await analyseEmail(await kase.blobs.read(item.sha256), keys, item.id);
    return { ...email, findings: [...nameFindings(name, item.mediaType, item.size), ...email.findings] };
  }
  // Extractors are chosen inside the worker: their libraries (pdf.js…) never load in this thread.
  if (item.kind === 'document' || item.kind === 'image') {
    if (item.size > MAX_EXTRACT_BYTES) return tooLargeToParse(item.size);
    const doc = await analyseDocument(await kase.blobs.read(item.sha256), item.mediaType, name, pool);
    return withNameFindings(doc, name, item.mediaType, item.size);
  }
  return { findings: nameFindings(name, item.mediaType, item.size), metadata: {} };
}

/**
 * A file whose name claims another format gets one finding saying both; the extractor's failure to
 * read it as what its name claims becomes part of that finding instead of a second, puzzling one.
 */
function withNameFindings(doc: DocumentAnalysis, name: string, mediaType: string, size: number): DocumentAnalysis {
  const readErrors = doc.findings.filter((f) => f.check === 'ingest.unreadable');
  const reason = readErrors.map((f) => (typeof f.evidence['reason'] === 'string' ? f.evidence['reason'] : f.message)).join('; ');
  const named = nameFindings(name, mediaType, size, reason || undefined);
  if (!named.some((f) => f.check === 'ingest.mislabelled')) {
    const said = doc.findings.map((f) => (f.check === 'ingest.unreadable' && name ? { ...f, message: `${name}: ${f.message}` } : f));
    return { ...doc, findings: [...named, ...said] };
  }
  return { ...doc, findings: [...named, ...doc.findings.filter((f) => f.check !== 'ingest.unreadable')] };
}

/** Live DNS answers become part of the case, with where and when they were fetched. */
function recordingDns(kase: Case): KeyResolver {
  const dns = dnsResolver();
  return {
    async resolve(selector, domain) {
      const found = await dns.resolve(selector, domain);
      for (const k of found) kase.addKey(k);
      return found;
    },
  };
}

function analysisKey(keys: StoredKey[], dns: boolean): string {
  const h = createHash('sha256').update(ANALYSIS_VERSION).update(dns ? 'dns' : 'offline');
  for (const k of keys) h.update(`\n${k.domain} ${k.selector} ${k.value} ${k.source}`);
  return h.digest('hex').slice(0, 16);
}

/**
 * Decides every item's verdict and stores it, holding only numbers per item: own verdicts are
 * written as they are read, then proof flows from verified carriers (src/verdict/propagate.ts) and
 * only the items it reaches are read again. Holding every item's occurrences, verdict and reason at
 * once cost ~35 MB on a 1 GB mbox, the peak of its ingest. One transaction: a killed run leaves
 * the previous verdicts.
 */
export function applyVerdicts(kase: Case): void {
  const ownVerdictOf = (id: number): OwnVerdict => ownVerdict(kase.findingsOf(id).filter((f) => f.stage !== 'verdict' && f.stage !== 'domains'));
  kase.transaction(() => {
    const ownVerified = new Set<number>();
    // Items that a carrier's proof can still reach (own verdict consistent or suspicious).
    const open = new Map<number, Verdict>();
    const heap = new HeapGovernor();
    for (const id of kase.itemIds()) {
      heap.tick();
      const own = ownVerdictOf(id);
      kase.replaceFindings(id, 'verdict', []);
      kase.setVerdict(id, own.verdict, own.reason);
      if (own.verdict === 'verified') ownVerified.add(id);
      else if (own.verdict !== 'tampered') open.set(id, own.verdict);
    }
    const carried: CarriedItem[] = [];
    for (const { itemId, occurrences } of kase.carriedOccurrences()) {
      const own = open.get(itemId);
      if (own !== undefined) carried.push({ id: itemId, own, carriers: carriersByPath(occurrences) });
    }
    const promoted = promotions(carried, (id) => ownVerified.has(id));
    carried.length = 0;
    const proofs = new Map<number, { [key: string]: Json }>();
    const coveringProof = (root: number): { [key: string]: Json } => {
      let p = proofs.get(root);
      if (!p) {
        const proof = ownVerdictOf(root).proof;
        p = proof ? proofSummary(proof) : {};
        proofs.set(root, p);
      }
      return p;
    };
    for (const [id, carrierId] of promoted) {
      heap.tick();
      const occurrences = kase
        .occurrencesOf(id)
        .sort((a, b) => a.id - b.id)
        .map((o) => ({ path: o.path, parent: o.parentId }));
      const at = carrierOccurrence(occurrences, carrierId);
      const sha256 = kase.sha256Of(carrierId);
      if (!at || !sha256) continue; // cannot happen: the carrier was read from these occurrences
      const v = inheritedVerdict({
        carrier: { id: carrierId, sha256, path: at.path },
        coveringProof: coveringProof(coveringRoot(id, promoted)),
        otherOccurrences: occurrences.filter((o) => o.path !== at.path).map((o) => o.path),
        previousVerdict: open.get(id) ?? 'consistent',
      });
      kase.replaceFindings(id, 'verdict', v.derived);
      kase.setVerdict(id, v.verdict, v.reason);
    }
  });
}
