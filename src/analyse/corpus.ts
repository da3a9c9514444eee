import type { Finding } from '../model.js';
import type { Case } from '../store/case.js';
import type { CorpusSettings, EmailFacts } from '../checks/corpus.js';
import { emailChecks } from '../checks/email/index.js';
import { threadGroups } from '../checks/email/thread-quote.js';
import { HeapGovernor } from '../util/heap.js';
import { CaseEmail, threadLinksOf, type StoredEmailFacts } from './email-facts.js';

export function caseSettings(kase: Case): CorpusSettings {
  const org = kase.getSetting('org');
  const cutoff = kase.getSetting('cutoff');
  return { orgDomains: org ? (JSON.parse(org) as string[]) : [], ...(cutoff ? { cutoff } : {}) };
}

/** Every email of the case with stored facts, in item order, read afresh on each iteration. */
function storedEmails(kase: Case): Iterable<{ itemId: number; facts: StoredEmailFacts }> {
  return {
    *[Symbol.iterator]() {
      const heap = new HeapGovernor();
      for (const r of kase.emailFacts()) {
        yield { itemId: r.itemId, facts: JSON.parse(r.facts) as StoredEmailFacts };
        heap.tick();
      }
    },
  };
}

function mapped<T, U>(source: Iterable<T>, f: (t: T) => U): Iterable<U> {
  return {
    *[Symbol.iterator]() {
      for (const t of source) yield f(t);
    },
  };
}

/**
 * Runs the checks that compare emails with each other (threads, habits, fingerprints) over the
 * whole case and replaces their findings. Each email's facts were stored when it was verified
 * (email-facts.ts), with the findings of the checks that judge it alone. The others read the case
 * one page at a time, keeping only what they learn (habits per sender and domain), or, for thread
 * checks, one thread at a time: memory follows the largest thread, not the number of emails.
 */
export function runCorpusChecks(kase: Case): number {
  const settings = caseSettings(kase);
  const emails = storedEmails(kase);
  const byCheck = new Map<string, Map<number, Finding[]>>();
  for (const check of emailChecks) {
    if (check.perEmail) continue;
    if (!check.perThread) {
      byCheck.set(check.meta.id, check.run(mapped(emails, (e) => new CaseEmail(kase, e.itemId, e.facts)), settings));
      continue;
    }
    const found = new Map<number, Finding[]>();
    const heap = new HeapGovernor();
    for (const group of threadGroups(mapped(emails, (e) => threadLinksOf(e.itemId, e.facts)))) {
      const thread: EmailFacts[] = [];
      for (const id of group) {
        const json = kase.emailFactsOf(id);
        if (json !== undefined) thread.push(new CaseEmail(kase, id, JSON.parse(json) as StoredEmailFacts));
      }
      for (const [id, findings] of check.run(thread, settings)) found.set(id, findings);
      heap.tick();
    }
    byCheck.set(check.meta.id, found);
  }
  // Merged in the checks' order, as if each had run over the whole case.
  let count = 0;
  kase.transaction(() => {
    for (const { itemId, facts } of emails) {
      const findings = emailChecks.flatMap((check) =>
        check.perEmail ? facts.own.filter((f) => f.check === check.meta.id) : (byCheck.get(check.meta.id)?.get(itemId) ?? []),
      );
      kase.replaceFindings(itemId, 'corpus', findings);
      count++;
    }
  });
  return count;
}
