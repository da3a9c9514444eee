// The ingest stage: when the case has protected domains set (by an earlier `tamis domains --case`),
// every ingest scans the case again so new mail is matched too.
import type { Case } from '../store/case.js';
import { scanCase, type DomainScan } from './scan.js';
import { loadProtected, saveScan } from './settings.js';

/** Scans the case when it has protected domains; undefined when it has none. */
export async function domainStage(kase: Case): Promise<DomainScan | undefined> {
  const settings = loadProtected(kase);
  if (!settings) return undefined;
  const scan = await scanCase(kase, settings.protected, { dictionary: settings.dictionary });
  saveScan(kase, scan);
  return scan;
}
