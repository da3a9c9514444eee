import { useEffect, useState } from 'preact/hooks';
import { apiGet } from '../api';
import { formatDate, Show, VerdictBadge } from '../components';
import { useLoad } from '../hooks';
import { useT } from '../i18n';
import { href, navigate } from '../router';
import type { SearchResult } from '../types';

type FacetName = keyof SearchResult['facets'];
const FACET_ORDER: FacetName[] = ['verdict', 'kind', 'domain', 'sender', 'month', 'check', 'mediaType'];
const FACET_FIELD: Record<FacetName, string> = {
  verdict: 'verdict',
  kind: 'kind',
  domain: 'domain',
  sender: 'from',
  month: 'date',
  check: 'check',
  mediaType: 'type',
};

const quoteValue = (v: string): string => (/[\s"]/.test(v) ? `"${v.replace(/"/g, '')}"` : v);

/** The query with one more filter, unless it is already there. */
export function withFilter(q: string, facet: FacetName, value: string): string {
  const filter = `${FACET_FIELD[facet]}:${quoteValue(value)}`;
  return q.split(/\s+/).includes(filter) ? q : `${q.trim()} ${filter}`.trim();
}

export function Search({ params }: { params: URLSearchParams }) {
  const t = useT();
  const q = params.get('q') ?? '';
  const sort = params.get('sort') === 'date' ? 'date' : 'relevance';
  const page = Number(params.get('page') ?? '1') || 1;
  const [draft, setDraft] = useState(q);
  useEffect(() => setDraft(q), [q]);
  const [result] = useLoad(() => apiGet<SearchResult>('search', { q, sort, page }), [q, sort, page]);
  const go = (next: { q?: string; sort?: string; page?: number }) =>
    navigate('search', { q: next.q ?? q, sort: next.sort ?? sort, page: next.page && next.page > 1 ? next.page : undefined });

  return (
    <section class="search">
      <form
        class="searchbar"
        onSubmit={(e) => {
          e.preventDefault();
          go({ q: draft, page: 1 });
        }}
      >
        <input
          type="search"
          name="q"
          aria-label={t('search.button')}
          placeholder={t('search.placeholder')}
          value={draft}
          onInput={(e) => setDraft((e.target as HTMLInputElement).value)}
        />
        <button type="submit">{t('search.button')}</button>
        <label>
          {t('search.sort')}{' '}
          <select value={sort} onChange={(e) => go({ sort: (e.target as HTMLSelectElement).value, page: 1 })}>
            <option value="relevance">{t('sort.relevance')}</option>
            <option value="date">{t('sort.date')}</option>
          </select>
        </label>
      </form>
      <p class="muted small">{t('search.help')}</p>
      <Show value={result}>
        {(r) => (
          <div class="search-layout">
            <aside class="facets" data-testid="facets">
              {r.facetsFrom < r.total ? <p class="muted small">{t('search.sampled').replace('{n}', r.facetsFrom.toLocaleString())}</p> : null}
              {FACET_ORDER.map((f) =>
                r.facets[f].length === 0 ? null : (
                  <div class="facet" data-facet={f}>
                    <h3>{t(`facet.${f}`)}</h3>
                    <ul>
                      {r.facets[f].map((v) => (
                        <li>
                          <a href={href('search', { q: withFilter(q, f, v.value), sort })}>
                            {f === 'verdict' ? <VerdictBadge verdict={v.value} /> : v.value}
                          </a>{' '}
                          <span class="count">{v.count}</span>
                        </li>
                      ))}
                    </ul>
                  </div>
                ),
              )}
            </aside>
            <div class="results">
              <p data-testid="total">
                <strong>{r.total}</strong> {r.total === 1 ? t('search.result') : t('search.results')}
              </p>
              {/* Relevance falls back to date past the server's RANK_LIMIT (20,000) hits, or when only filters were given. */}
              {sort === 'relevance' && r.sortedBy === 'date' && r.total > 1 ? (
                <p class="muted small">{r.total > 20_000 ? t('search.dateFallback') : t('search.filtersOnly')}</p>
              ) : null}
              {r.hits.length === 0 ? <p class="muted">{t('search.none')}</p> : null}
              <ol class="hits">
                {r.hits.map((h) => (
                  <li class="hit" data-item={h.id}>
                    <div class="hit-head">
                      <VerdictBadge verdict={h.verdict} />
                      <a class="hit-title" href={href(`item/${h.id}`)}>
                        {h.title || `#${h.id}`}
                      </a>
                      <span class="muted small">
                        {h.sender ?? ''} {formatDate(h.date)} · {h.kind}
                      </span>
                    </div>
                    {/* The server escapes the dump's text and adds only <mark> elements (src/search/search.ts). */}
                    {h.snippet ? <p class="snippet" dangerouslySetInnerHTML={{ __html: h.snippet }} /> : null}
                  </li>
                ))}
              </ol>
              {r.total > r.pageSize ? (
                <nav class="pager">
                  {page > 1 ? <a href={href('search', { q, sort, page: page - 1 })}>{t('prev')}</a> : null}
                  <span>
                    {t('page')} {page} / {Math.ceil(r.total / r.pageSize)}
                  </span>
                  {page * r.pageSize < r.total ? <a href={href('search', { q, sort, page: page + 1 })}>{t('next')}</a> : null}
                </nav>
              ) : null}
            </div>
          </div>
        )}
      </Show>
    </section>
  );
}
