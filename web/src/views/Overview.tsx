import { apiGet } from '../api';
import { Show, VerdictBadge } from '../components';
import { useLoad } from '../hooks';
import { useT } from '../i18n';
import { href } from '../router';
import type { Overview as OverviewData, Verdict } from '../types';

const VERDICTS: Verdict[] = ['verified', 'tampered', 'suspicious', 'consistent'];
const STATES = ['verified', 'tampered', 'suspicious', 'unsigned', 'unverifiable'] as const;

export function Overview() {
  const t = useT();
  const [data] = useLoad(() => apiGet<OverviewData>('overview'), []);
  return (
    <section>
      <h1>{t('overview.title')}</h1>
      <Show value={data}>
        {(o) => {
          const max = Math.max(1, ...o.timeline.map((m) => m.total));
          return (
            <>
              <h2>{t('overview.verdicts')}</h2>
              <div class="cards" data-testid="verdict-counts">
                {VERDICTS.map((v) => (
                  <a class={`card verdict-${v}`} href={href('search', { q: `verdict:${v}` })}>
                    <strong>{o.verdicts[v]}</strong> <VerdictBadge verdict={v} />
                  </a>
                ))}
                <div class="card">
                  <strong>{o.items}</strong> {t('items')}
                </div>
              </div>

              <h2>{t('overview.timeline')}</h2>
              <p class="muted">{t('overview.timelineHint')}</p>
              <div class="timeline" data-testid="timeline">
                {o.timeline.map((m) => (
                  <a class="bar" href={href('search', { q: `date:${m.month}`, sort: 'date' })} title={`${m.month}: ${m.total}`}>
                    <span class="stack">
                      {VERDICTS.map((v) =>
                        m[v] > 0 ? // Preact sets style through the CSSOM, which style-src 'self' allows.
                        <span class={`seg verdict-${v}`} style={{ height: `${(m[v] / max) * 120}px` }} /> : null,
                      )}
                    </span>
                    <span class="label">{m.month}</span>
                  </a>
                ))}
              </div>

              <h2>{t('overview.coverage')}</h2>
              <table class="grid" data-testid="coverage">
                <thead>
                  <tr>
                    <th>{t('domain')}</th>
                    <th>{t('month')}</th>
                    {STATES.map((s) => (
                      <th>{s === 'unsigned' || s === 'unverifiable' ? t(`state.${s}`) : t(`verdict.${s}`)}</th>
                    ))}
                    <th>{t('total')}</th>
                  </tr>
                </thead>
                <tbody>
                  {o.coverage.map((c) => (
                    <tr>
                      <td>
                        <a href={href('search', { q: `domain:${c.domain}` })}>{c.domain}</a>
                      </td>
                      <td>
                        <a href={href('search', { q: `domain:${c.domain} date:${c.month}` })}>{c.month}</a>
                      </td>
                      {STATES.map((s) => (
                        <td class={c[s] > 0 ? `num state-${s}` : 'num zero'}>{c[s]}</td>
                      ))}
                      <td class="num">{c.total}</td>
                    </tr>
                  ))}
                </tbody>
              </table>

              <h2>{t('overview.topFindings')}</h2>
              <table class="grid" data-testid="top-findings">
                <thead>
                  <tr>
                    <th>{t('check')}</th>
                    <th>{t('severity')}</th>
                    <th>{t('items')}</th>
                  </tr>
                </thead>
                <tbody>
                  {o.topFindings.length === 0 ? (
                    <tr>
                      <td colSpan={3} class="muted">
                        {t('overview.noFindings')}
                      </td>
                    </tr>
                  ) : null}
                  {o.topFindings.map((f) => (
                    <tr>
                      <td>
                        <a href={href('search', { q: `check:${f.check}` })}>{f.check}</a>
                      </td>
                      <td>
                        <span class={`sev sev-${f.severity}`}>{f.severity}</span>
                      </td>
                      <td class="num">{f.items}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          );
        }}
      </Show>
    </section>
  );
}
