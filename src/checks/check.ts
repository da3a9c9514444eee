import type { Finding, Severity } from '../model.js';

/** Metadata of a forensic check, shaped like an ESLint rule's `meta`. */
export interface CheckMeta {
  /** Stable id, e.g. `dkim.body-hash`. */
  id: string;
  title: string;
  /** Why it matters and what would explain it innocently; rendered into docs/verdicts.md. */
  description: string;
  /** Highest severity the check can emit. */
  severity: Severity;
}

export interface Check<Ctx> {
  meta: CheckMeta;
  run(ctx: Ctx): Finding[];
}
