import type { FastifyPluginAsync } from 'fastify';
import { VERDICTS, type Verdict } from '../../model.js';
import type { Case } from '../../store/case.js';

/** Coverage states of an email: its verdict when it has proof or red flags, else whether it was signed. */
export const COVERAGE_STATES = ['verified', 'tampered', 'suspicious', 'unsigned', 'unverifiable'] as const;
export type CoverageState = (typeof COVERAGE_STATES)[number];

export interface Overview {
  items: number;
  verdicts: Record<Verdict, number>;
  kinds: { kind: string; count: number }[];
  coverage: ({ domain: string; month: string; total: number } & Record<CoverageState, number>)[];
  topFindings: { check: string; severity: string; items: number }[];
  timeline: ({ month: string; total: number } & Record<Verdict, number>)[];
}

const STATE_SQL = `CASE WHEN m.verdict IN ('verified', 'tampered', 'suspicious') THEN m.verdict
  WHEN m.signed = 0 THEN 'unsigned' ELSE 'unverifiable' END`;

/** Reads the search tables (kept in step with items by indexCase) so a large case answers quickly. */
export function overviewOf(kase: Case, maxDomains = 40): Overview {
  const db = kase.db;
  const verdicts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const r of db.prepare('SELECT verdict, count(*) AS n FROM items GROUP BY verdict').all() as { verdict: Verdict; n: number }[]) {
    verdicts[r.verdict] = r.n;
  }
  const kinds = db.prepare('SELECT kind, count(*) AS count FROM items GROUP BY kind ORDER BY count DESC').all() as Overview['kinds'];
  const topDomains = db
    .prepare(
      `SELECT m.sender_domain AS d FROM search_meta m
       WHERE m.kind = 'email' AND m.sender_domain IS NOT NULL GROUP BY d ORDER BY count(*) DESC, d LIMIT ?`,
    )
    .pluck()
    .all(maxDomains) as string[];
  const cells = new Map<string, Overview['coverage'][number]>();
  const rows = db
    .prepare(
      `SELECT m.sender_domain AS domain, coalesce(m.month, 'undated') AS month, ${STATE_SQL} AS state, count(*) AS n
       FROM search_meta m
       WHERE m.kind = 'email' AND m.sender_domain IN (SELECT value FROM json_each(?))
       GROUP BY 1, 2, 3`,
    )
    .all(JSON.stringify(topDomains)) as { domain: string; month: string; state: CoverageState; n: number }[];
  for (const r of rows) {
    const key = `${r.domain}\u0000${r.month}`;
    let cell = cells.get(key);
    if (!cell) {
      cell = { domain: r.domain, month: r.month, total: 0, verified: 0, tampered: 0, suspicious: 0, unsigned: 0, unverifiable: 0 };
      cells.set(key, cell);
    }
    cell[r.state] += r.n;
    cell.total += r.n;
  }
  const topFindings = db
    .prepare(
      `SELECT check_id AS "check", severity, count(DISTINCT item_id) AS items FROM findings
       GROUP BY check_id, severity ORDER BY items DESC, check_id LIMIT 25`,
    )
    .all() as Overview['topFindings'];
  const months = new Map<string, Overview['timeline'][number]>();
  for (const r of db
    .prepare(
      `SELECT m.month AS month, m.verdict AS verdict, count(*) AS n FROM search_meta m
       WHERE m.month IS NOT NULL GROUP BY 1, 2 ORDER BY 1`,
    )
    .all() as { month: string; verdict: Verdict; n: number }[]) {
    let m = months.get(r.month);
    if (!m) {
      m = { month: r.month, total: 0, verified: 0, tampered: 0, suspicious: 0, consistent: 0 };
      months.set(r.month, m);
    }
    m[r.verdict] += r.n;
    m.total += r.n;
  }
  return {
    items: Object.values(verdicts).reduce((a, b) => a + b, 0),
    verdicts,
    kinds,
    coverage: [...cells.values()].sort((a, b) => a.domain.localeCompare(b.domain) || a.month.localeCompare(b.month)),
    topFindings,
    timeline: [...months.values()],
  };
}

export const overviewRoutes: FastifyPluginAsync<{ kase: Case; refresh: () => Promise<void> }> = async (app, { kase, refresh }) => {
  app.get('/api/overview', async () => {
    await refresh();
    return overviewOf(kase);
  });
};
