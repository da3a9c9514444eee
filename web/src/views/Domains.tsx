// The Domains view: look-alikes of the protected domains found by `tamis domains --case`, with a
// timeline of when each appeared, each linking to its messages; and the badge an email carrying one shows.
import { apiGet } from '../api';
import { formatDate, Show } from '../components';
import { useLoad } from '../hooks';
import { useT } from '../i18n';
import { href } from '../router';
import type { Finding } from '../types';

interface Evidence { itemId: number; from: string | null; date: string | null }
interface Lookalike {
  domain: string;
  unicode: string;
  imitates: string[];
  reasons: { imitates: string; technique: string; detail: string }[];
  hosts: string[];
  fields: string[];
  messages: number;
  itemIds: number[];
  firstSeen: string | null;
  lastSeen: string | null;
  recipients: string[];
  replies: Evidence[];
  forwards: Evidence[];
}
interface DomainList {
  ran: boolean;
  protected: { domain: string }[];
  lookalikes: Lookalike[];
  mismatches: { itemId: number; shown: string; target: string }[];
}

const W = 640;
const ROW = 18;

/** One row per look-alike: a bar from its first to its last sighting on a shared time axis. */
function Timeline({ list }: { list: Lookalike[] }) {
  const dated = list.filter((l) => l.firstSeen);
  if (dated.length === 0) return null;
  const times = dated.flatMap((l) => [Date.parse(l.firstSeen!), Date.parse(l.lastSeen ?? l.firstSeen!)]);
  const t0 = Math.min(...times);
  const span = Math.max(Math.max(...times) - t0, 86_400_000);
  const x = (iso: string): number => 200 + ((Date.parse(iso) - t0) / span) * (W - 220);
  return (
    <svg class="domain-timeline" width={W} height={dated.length * ROW + 24} role="img" data-testid="domain-timeline">
      {dated.map((l, i) => (
        <g>
          <text x={0} y={i * ROW + 13} font-size="12">{l.unicode}</text>
          <rect x={x(l.firstSeen!)} y={i * ROW + 4} width={Math.max(4, x(l.lastSeen ?? l.firstSeen!) - x(l.firstSeen!))} height={10} fill="var(--suspicious)">
            <title>{`${formatDate(l.firstSeen)} – ${formatDate(l.lastSeen)}`}</title>
          </rect>
        </g>
      ))}
      <text x={200} y={dated.length * ROW + 18} font-size="11">{formatDate(new Date(t0).toISOString()).slice(0, 10)}</text>
      <text x={W - 80} y={dated.length * ROW + 18} font-size="11">{formatDate(new Date(t0 + span).toISOString()).slice(0, 10)}</text>
    </svg>
  );
}

export function Domains() {
  const t = useT();
  const [list] = useLoad(() => apiGet<DomainList>('domains'), []);
  return (
    <section>
      <h1>{t('domains.title')}</h1>
      <Show value={list}>
        {(d) =>
          !d.ran ? (
            <p class="muted">{t('domains.notRun')}</p>
          ) : (
            <>
              <p class="muted">
                {t('domains.protected')}: {d.protected.map((p) => p.domain).join(', ')}
              </p>
              {d.lookalikes.length === 0 ? (
                <p class="muted">{t('domains.none')}</p>
              ) : (
                <>
                  <h2>{t('domains.timeline')}</h2>
                  <Timeline list={d.lookalikes} />
                  <table data-testid="lookalikes">
                    <thead>
                      <tr>
                        <th>{t('domain')}</th>
                        <th>{t('domains.imitates')}</th>
                        <th>{t('domains.how')}</th>
                        <th>{t('domains.seenIn')}</th>
                        <th>{t('domains.messages')}</th>
                        <th>{t('domains.firstLast')}</th>
                        <th>{t('domains.replies')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {d.lookalikes.map((l) => (
                        <tr>
                          <td>
                            {l.unicode}
                            {l.unicode !== l.domain ? <code class="small"> {l.domain}</code> : null}
                          </td>
                          <td>{l.imitates.join(', ')}</td>
                          <td class="small">{l.reasons.map((r) => <div>{r.technique}: {r.detail}</div>)}</td>
                          <td class="small">{l.fields.join(', ')}</td>
                          <td>
                            {l.itemIds.map((id) => (
                              <a href={href(`item/${id}`)}>#{id} </a>
                            ))}
                          </td>
                          <td class="small">{formatDate(l.firstSeen)} – {formatDate(l.lastSeen)}</td>
                          <td class="small">
                            {l.replies.map((r) => <a href={href(`item/${r.itemId}`)}>{t('domains.reply')} #{r.itemId} </a>)}
                            {l.forwards.map((r) => <a href={href(`item/${r.itemId}`)}>{t('domains.forward')} #{r.itemId} </a>)}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </>
              )}
              {d.mismatches.length > 0 ? (
                <>
                  <h2>{t('domains.mismatches')}</h2>
                  <ul>
                    {d.mismatches.map((m) => (
                      <li>
                        <a href={href(`item/${m.itemId}`)}>#{m.itemId}</a> {m.shown} → {m.target}
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
            </>
          )
        }
      </Show>
    </section>
  );
}

/** Shown on an email that carries a look-alike domain (its domain.* findings). */
export function DomainBadge({ findings }: { findings: Finding[] }) {
  const t = useT();
  const domains = [...new Set(findings.filter((f) => f.check.startsWith('domain.lookalike')).map((f) => String(f.evidence['unicode'] ?? f.evidence['domain'] ?? '')))];
  if (domains.length === 0) return null;
  return (
    <a class="badge verdict-suspicious" href={href('domains')} title={domains.join(', ')} data-testid="lookalike-badge">
      {t('domains.badge')}: {domains.join(', ')}
    </a>
  );
}
