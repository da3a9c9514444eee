import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { initialLang, LangContext, saveLang, translator, type Lang } from './i18n';
import { href, useRoute } from './router';
import { Compare } from './views/Compare';
import { Domains } from './views/Domains';
import { Graph } from './views/Graph';
import { Item } from './views/Item';
import { Overview } from './views/Overview';
import { Search } from './views/Search';
import { Spread } from './views/Spread';
import { Threads, ThreadView } from './views/Threads';
import { Report } from './views/Report';

function Page() {
  const { path, params } = useRoute();
  const [head, arg] = path;
  const id = Number(arg);
  if (head === 'search') return <Search params={params} />;
  if (head === 'item' && id > 0) return <Item id={id} />;
  if (head === 'compare') return <Compare params={params} />;
  if (head === 'graph') return <Graph params={params} />;
  if (head === 'threads' && id > 0) return <ThreadView id={id} />;
  if (head === 'threads') return <Threads />;
  if (head === 'domains') return <Domains />;
  if (head === 'spread') return <Spread />;
  if (head === 'report') return <Report params={params} />;
  return <Overview />;
}

function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const ctx = useMemo(() => ({ lang, t: translator(lang) }), [lang]);
  const { path } = useRoute();
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const t = ctx.t;
  const nav = [
    ['', t('nav.overview')],
    ['search', t('nav.search')],
    ['graph', t('nav.graph')],
    ['threads', t('nav.threads')],
    ['compare', t('nav.compare')],
    ['domains', t('nav.domains')],
    ['spread', t('nav.spread')],
    ['report', t('nav.report')],
  ] as const;
  return (
    <LangContext.Provider value={ctx}>
      <header class="top">
        <a class="brand" href="#/">
          tamis
        </a>
        <nav>
          {nav.map(([p, label]) => (
            <a href={href(p)} class={(path[0] ?? '') === p ? 'active' : ''}>
              {label}
            </a>
          ))}
        </nav>
        <button
          type="button"
          class="lang"
          data-testid="lang"
          onClick={() => {
            const next = lang === 'en' ? 'fr' : 'en';
            saveLang(next);
            setLang(next);
          }}
        >
          {t('language')}
        </button>
      </header>
      <main>
        <Page />
      </main>
    </LangContext.Provider>
  );
}

const root = document.getElementById('app');
if (root) render(<App />, root);
