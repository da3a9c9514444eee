import { apiGet } from '../api';
import { formatDate, Show, VerdictBadge } from '../components';
import { useLoad } from '../hooks';
import { useT } from '../i18n';
import { href } from '../router';
import type { Thread, ThreadList } from '../types';

export function Threads() {
  const t = useT();
  const [list] = useLoad(() => apiGet<ThreadList>('threads'), []);
  return (
    <section>
      <h1>{t('threads.title')}</h1>
      <Show value={list}>
        {(l) =>
          l.threads.length === 0 ? (
            <div class="empty">
              <p class="muted">{t('threads.none')}</p>
              <p class="muted small">{t('threads.hint')}</p>
            </div>
          ) : (
            <ul class="threads" data-testid="threads">
              {l.threads.map((th) => (
                <li>
                  <a href={href(`threads/${th.firstItem}`)}>{th.title || th.key}</a>{' '}
                  <span class="muted small">
                    {th.messages} {t('threads.messages')} · {formatDate(th.first)} – {formatDate(th.last)}
                  </span>
                </li>
              ))}
            </ul>
          )
        }
      </Show>
    </section>
  );
}

export function ThreadView({ id }: { id: number }) {
  const t = useT();
  const [thread] = useLoad(() => apiGet<Thread>(`threads/${id}`), [id]);
  return (
    <section>
      <h1>{t('item.thread')}</h1>
      <Show value={thread}>
        {(th) => (
          <ol class="thread" data-testid="thread">
            {th.messages.map((m) => (
              <li class={`depth-${Math.min(m.depth, 8)}${m.id === id ? ' current' : ''}`}>
                <VerdictBadge verdict={m.verdict} /> <a href={href(`item/${m.id}`)}>{m.title || `#${m.id}`}</a>{' '}
                <span class="muted small">
                  {m.sender ?? ''} · {formatDate(m.date)}
                </span>
              </li>
            ))}
          </ol>
        )}
      </Show>
    </section>
  );
}
