import { useState } from 'preact/hooks';
import { useT } from '../i18n';

/** The report of the case (shown sandboxed, as the file tamis report writes) and its downloads. */
export function Report({ params }: { params: URLSearchParams }) {
  const t = useT();
  const [q, setQ] = useState(params.get('q') ?? '');
  const formats = [
    ['html', 'HTML'],
    ['json', 'JSON'],
    ['csv', 'CSV'],
    ['md', 'Markdown'],
  ] as const;
  return (
    <section class="report-page" data-testid="report-page">
      <h1>{t('report.title')}</h1>
      <p class="muted">{t('report.intro')}</p>
      <p class="actions">
        {formats.map(([f, label]) => (
          <a class="button" href={`api/report?format=${f}&download=1`} download>
            {t('report.download')} {label}
          </a>
        ))}
        <a class="button" href="api/tags.csv" download>
          {t('report.tags')}
        </a>
      </p>
      <form class="inline" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('report.selection')} <input name="selection" size={40} value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
        </label>{' '}
        <a class="button" href={`api/bundle?q=${encodeURIComponent(q)}`} download>
          {t('report.bundle')}
        </a>
      </form>
      {/* No script runs in the report and it loads nothing: the server sends it with a sandboxing policy. */}
      <iframe class="report-frame" sandbox="" referrerpolicy="no-referrer" title={t('report.title')} src="api/report?format=html" />
    </section>
  );
}
