// Scores an ingested case against the generator's labels: false alarms by check on authentic items,
// recall by check on planted forgeries. Shared by the bench and its CI test.
import type { E2ELabel } from '../../test/fixtures/e2e-lab.js';
import type { Finding, Verdict } from '../../src/model.js';
import { Case } from '../../src/store/case.js';

export interface ScoredItem {
  label: E2ELabel;
  id: number;
  verdict: Verdict;
  reason: string;
  findings: Finding[];
}

export interface Scores {
  items: ScoredItem[];
  /** Paths of case items the generator did not label (a dump the scorer cannot judge). */
  unlabelled: string[];
}

/** Targets printed by the bench (issue 12). */
export const TARGETS = { tampered: 0, falseAlarmRate: 0.01, recall: 0.97 };

const alarm = (f: Finding): boolean => f.severity !== 'info';
export const flagged = (s: ScoredItem): boolean => s.verdict === 'suspicious' || s.verdict === 'tampered';
export const alarmedBy = (s: ScoredItem, check: string): boolean => s.findings.some((f) => f.check === check && alarm(f));

export async function scoreCase(caseDir: string, labels: Map<string, E2ELabel>): Promise<Scores> {
  const kase = await Case.openExisting(caseDir);
  const items: ScoredItem[] = [];
  const unlabelled: string[] = [];
  try {
    for (const { id, sha256 } of kase.itemSummaries()) {
      const item = kase.item(id)!;
      const label = labels.get(sha256);
      if (!label) {
        unlabelled.push(`${kase.occurrencesOf(id)[0]?.path ?? `#${id}`} (${item.mediaType})`);
        continue;
      }
      items.push({ label, id, verdict: item.verdict, reason: item.verdictReason, findings: kase.findingsOf(id) });
    }
  } finally {
    kase.close();
  }
  return { items, unlabelled };
}

export interface CheckRate { check: string; alarms: number; flagged: number; of: number; rate: number }

/** Per check: authentic items it raised a warning/critical finding on, and those among them suspicious or tampered. */
export function falseAlarmsByCheck(items: ScoredItem[]): CheckRate[] {
  const authentic = items.filter((s) => s.label.authentic);
  const checks = [...new Set(authentic.flatMap((s) => s.findings.filter(alarm).map((f) => f.check)))].sort();
  return checks.map((check) => {
    const mine = authentic.filter((s) => alarmedBy(s, check));
    const fl = mine.filter(flagged).length;
    return { check, alarms: mine.length, flagged: fl, of: authentic.length, rate: fl / Math.max(authentic.length, 1) };
  });
}

export interface Recall { check: string; forged: number; caught: number; recall: number }

export function recallByCheck(items: ScoredItem[]): Recall[] {
  const forged = items.filter((s) => !s.label.authentic);
  const checks = [...new Set(forged.map((s) => s.label.check!))].sort();
  return checks.map((check) => {
    const mine = forged.filter((s) => s.label.check === check);
    const caught = mine.filter((s) => alarmedBy(s, check)).length;
    return { check, forged: mine.length, caught, recall: caught / mine.length };
  });
}

export function summary(items: ScoredItem[]): { authentic: number; tampered: number; suspicious: number; falseAlarmRate: number; forged: number; caught: number; recall: number } {
  const authentic = items.filter((s) => s.label.authentic);
  const forged = items.filter((s) => !s.label.authentic);
  const tampered = authentic.filter((s) => s.verdict === 'tampered').length;
  const suspicious = authentic.filter((s) => s.verdict === 'suspicious').length;
  const caught = forged.filter(flagged).length;
  return {
    authentic: authentic.length, tampered, suspicious, falseAlarmRate: (tampered + suspicious) / Math.max(authentic.length, 1),
    forged: forged.length, caught, recall: forged.length ? caught / forged.length : 1,
  };
}

/** One line per authentic item that is flagged: where, what scenario, which checks said what. */
export function describeFalseAlarms(items: ScoredItem[]): string[] {
  return items
    .filter((s) => s.label.authentic && flagged(s))
    .map((s) => `${s.label.paths[0]} [${s.label.group}] ${s.label.note}: ${s.verdict} (${s.findings.filter(alarm).map((f) => `${f.check}: ${f.message}`).join(' | ') || s.reason})`);
}

export function describeMisses(items: ScoredItem[]): string[] {
  return items
    .filter((s) => !s.label.authentic && !alarmedBy(s, s.label.check!))
    .map((s) => `${s.label.paths[0]} [${s.label.check}] ${s.label.note}: ${s.verdict} (${s.findings.filter(alarm).map((f) => `${f.check}: ${f.message}`).join(' | ') || s.reason})`);
}

/** Authentic items whose verdict is not the one the generator expects (not false alarms: a verified message left consistent, say). */
export function unexpectedVerdicts(items: ScoredItem[]): string[] {
  return items
    .filter((s) => s.label.authentic && s.label.expect && s.label.expect !== s.verdict && !flagged(s))
    .map((s) => `${s.label.paths[0]} [${s.label.group}] ${s.label.note}: ${s.verdict}, expected ${s.label.expect} (${s.reason})`);
}

/** Authentic items with a warning or critical finding that did not change their verdict (shown, not counted). */
export function quietWarnings(items: ScoredItem[]): string[] {
  return items
    .filter((s) => s.label.authentic && !flagged(s) && s.findings.some(alarm))
    .map((s) => `${s.label.paths[0]} [${s.label.group}] ${s.label.note}: ${s.verdict} (${s.findings.filter(alarm).map((f) => `${f.check}: ${f.message}`).join(' | ')})`);
}
