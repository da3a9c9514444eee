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
 * Findings are written check by check as they come, in the checks' order (as if each had run over
 * the whole case at once), in one transaction: a killed run leaves the previous findings.
 */
export function runCorpusChecks(kase: Case): void {
  const settings = caseSettings(kase);
  const emails = storedEmails(kase);
  const write = (found: Map<number, Finding[]>): void => {
    for (const [id, findings] of found) for (const f of findings) kase.addFinding(id, 'corpus', f);
  };
  kase.transaction(() => {
    kase.clearFindings('corpus', 'message/rfc822');
    for (const check of emailChecks) {
      if (check.perEmail) {
        for (const { itemId, facts } of emails) for (const f of facts.own) if (f.check === check.meta.id) kase.addFinding(itemId, 'corpus', f);
      } else if (check.perThread) {
        const heap = new HeapGovernor();
        for (const group of threadGroups(mapped(emails, (e) => threadLinksOf(e.itemId, e.facts)))) {
          const thread: EmailFacts[] = [];
          for (const id of group) {
            const json = kase.emailFactsOf(id);
            if (json !== undefined) thread.push(new CaseEmail(kase, id, JSON.parse(json) as StoredEmailFacts));
          }
          write(check.run(thread, settings));
          heap.tick();
        }
      } else {
        write(check.run(mapped(emails, (e) => new CaseEmail(kase, e.itemId, e.facts)), settings));
      }
    }
  });
}
