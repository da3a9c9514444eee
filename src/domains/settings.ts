// The protected domains of a case, kept in its settings so the workbench, the report and later
// runs use the same ones.
import type { Case } from '../store/case.js';
import type { Protected } from './match.js';
import type { DomainScan } from './scan.js';

const KEY = 'domains:protected';

export interface DomainSettings {
  protected: Protected[];
  dictionary: string[];
}

export function saveProtected(kase: Case, s: DomainSettings): void {
  kase.setSetting(KEY, JSON.stringify(s));
}

/** The case's protected domains, or undefined when none were ever set. */
export function loadProtected(kase: Case): DomainSettings | undefined {
  const raw = kase.getSetting(KEY);
  if (!raw) return undefined;
  try {
    const v = JSON.parse(raw) as DomainSettings;
    return Array.isArray(v.protected) && v.protected.length > 0 ? v : undefined;
  } catch {
    return undefined;
  }
}

const SCAN_KEY = 'domains:last-scan';

/** Keeps the last scan's results for the report and the workbench (recomputed by each `tamis domains --case`). */
export function saveScan(kase: Case, scan: DomainScan): void {
  kase.setSetting(SCAN_KEY, JSON.stringify(scan));
}

export function loadScan(kase: Case): DomainScan | undefined {
  const raw = kase.getSetting(SCAN_KEY);
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as DomainScan;
  } catch {
    return undefined;
  }
}
