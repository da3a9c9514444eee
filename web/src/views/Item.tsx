import { useEffect, useState } from 'preact/hooks';
import { apiGet, apiSend } from '../api';
import { Show, VerdictBadge } from '../components';
import { DomainBadge } from './Domains';
import { SpreadLinks } from './Spread';
import { useLoad } from '../hooks';
import { useT } from '../i18n';
import { href, navigate } from '../router';
import type { DkimRow, Finding, ItemTreeNode, ItemView, Json } from '../types';

function groupByCheck(findings: Finding[]): [string, Finding[]][] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) groups.set(f.check, [...(groups.get(f.check) ?? []), f]);
  return [...groups.entries()];
}

const show = (v: Json): string => (typeof v === 'string' ? v : JSON.stringify(v, null, 1));

function Evidence({ findings }: { findings: Finding[] }) {
  const t = useT();
  if (findings.length === 0) return <p class="muted">{t('item.noFindings')}</p>;
  return (
    <div class="evidence" data-testid="evidence">
      {groupByCheck(findings).map(([check, fs]) => (
        <div class="check-group" data-check={check}>
          <h3>
            <a href={href('search', { q: `check:${check}` })}>{check}</a>
          </h3>
          {fs.map((f) => (
            <div class={`finding sev-${f.severity}`}>
              <p>
                <span class={`sev sev-${f.severity}`}>{f.severity}</span>
                {f.proof ? <span class={`proof proof-${f.proof}`}>{f.proof}</span> : null} {f.message}
              </p>
              <table class="kv">
                <tbody>
                  {Object.entries(f.evidence).map(([k, v]) => (
                    <tr>
                      <th>{k}</th>
                      <td>
                        <code>{show(v)}</code>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ))}
        </div>
      ))}
    </div>
  );
}

function okCell(v: boolean | null, t: ReturnType<typeof useT>) {
  if (v === null) return <td class="muted">{t('unknown')}</td>;
  return <td class={v ? 'ok' : 'bad'}>{v ? t('yes') : t('no')}</td>;
}

function DkimTable({ rows }: { rows: DkimRow[] }) {
  const t = useT();
  return (
    <table class="grid" data-testid="dkim">
      <thead>
        <tr>
          <th>d=</th>
          <th>s=</th>
          <th>{t('dkim.algorithm')}</th>
          <th>{t('dkim.canon')}</th>
          <th>{t('dkim.bodyHash')}</th>
          <th>{t('dkim.signature')}</th>
          <th>{t('dkim.keyBits')}</th>
          <th>{t('dkim.keySource')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr>
            <td>{r.d}</td>
            <td>{r.s}</td>
            <td>{r.algorithm}</td>
            <td>{r.canonicalization}</td>
            {okCell(r.bodyHashOk, t)}
            {okCell(r.signatureOk, t)}
            <td class="num">{r.keyBits ?? '—'}</td>
            <td class="key-source">
              {r.keySource ?? t('dkim.noKey')}
              {r.keySource && r.keyOutcome && r.keyOutcome !== 'verified' ? <span class="muted small"> ({t(KEY_OUTCOME[r.keyOutcome])})</span> : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Tree({ nodes }: { nodes: ItemTreeNode[] }) {
  return (
    <ul class="tree">
      {nodes.map((n) => (
        <li>
          <a href={href(`item/${n.id}`)}>{n.name}</a> <span class="muted small">{n.mediaType}</span> <VerdictBadge verdict={n.verdict} />
          {n.children.length > 0 ? <Tree nodes={n.children} /> : null}
        </li>
      ))}
    </ul>
  );
}

function Annotations({ item, onChange }: { item: ItemView; onChange: (next: ItemView) => void }) {
  const t = useT();
  const [tag, setTag] = useState('');
  const [note, setNote] = useState(item.note);
  const [status, setStatus] = useState('');
  useEffect(() => setNote(item.note), [item.id, item.note]);
  const fail = (err: unknown) => setStatus(err instanceof Error ? err.message : String(err));
  return (
    <div class="annotations" data-testid="annotations">
      <h2>{t('item.tags')}</h2>
      <ul class="tags" data-testid="tags">
        {item.tags.map((tg) => (
          <li class="tag">
            <a href={href('search', { q: `tag:"${tg}"` })}>{tg}</a>
            <button
              type="button"
              class="link"
              aria-label={`remove ${tg}`}
              onClick={() =>
                apiSend<{ tags: string[] }>('DELETE', `items/${item.id}/tags/${encodeURIComponent(tg)}`).then(
                  (r) => onChange({ ...item, tags: r.tags }),
                  fail,
                )
              }
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <form
        class="inline"
        onSubmit={(e) => {
          e.preventDefault();
          if (!tag.trim()) return;
          apiSend<{ tags: string[] }>('POST', `items/${item.id}/tags`, { tag }).then((r) => {
            setTag('');
            onChange({ ...item, tags: r.tags });
          }, fail);
        }}
      >
        <input name="tag" aria-label={t('item.addTag')} value={tag} onInput={(e) => setTag((e.target as HTMLInputElement).value)} />
        <button type="submit">{t('item.addTag')}</button>
      </form>
      <h2>{t('item.note')}</h2>
      <textarea name="note" aria-label={t('item.note')} rows={4} value={note} onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} />
      <div>
        <button
          type="button"
          onClick={() =>
            apiSend<{ note: string }>('PUT', `items/${item.id}/note`, { note }).then((r) => {
              setStatus(t('item.saved'));
              onChange({ ...item, note: r.note });
            }, fail)
          }
        >
          {t('item.saveNote')}
        </button>{' '}
        <span class="muted" role="status">
          {status}
        </span>
      </div>
    </div>
  );
}

function Metadata({ fields }: { fields: ItemView['fields'] }) {
  const t = useT();
  if (fields.length === 0) return <p class="muted">{t('item.noMetadata')}</p>;
  return (
    <table class="kv" data-testid="metadata">
      <tbody>
        {fields.map((f) => (
          <tr>
            <th>{f.name}</th>
            <td>{f.value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const KEY_OUTCOME = { mismatch: 'dkim.keyMismatch', revoked: 'dkim.keyRevoked', unusable: 'dkim.keyUnusable' } as const;

export function Item({ id }: { id: number }) {
  const t = useT();
  const [loaded, replace] = useLoad(() => apiGet<ItemView>(`items/${id}`), [id]);
  const [other, setOther] = useState('');
  return (
    <Show value={loaded}>
      {(item) => {
        const dkim = Array.isArray(item.metadata['dkim']) ? (item.metadata['dkim'] as unknown as DkimRow[]) : [];
        return (
          <article class="item" data-item={item.id}>
            <header>
              <h1>
                <VerdictBadge verdict={item.verdict} /> <DomainBadge findings={item.findings} /> {item.title}
              </h1>
              <p class="muted">
                #{item.id} · {item.kind} · {item.mediaType} · {item.size} B · <code>{item.sha256}</code>
              </p>
              {item.verdictReason ? <p>{item.verdictReason}</p> : null}
              {item.unchecked ? (
                <p class="unchecked" data-testid="unchecked">
                  <strong>{t('item.notChecked')}</strong> {item.unchecked}
                </p>
              ) : null}
              <p class="actions">
                <a href={`api/items/${item.id}/raw`} download>
                  {t('item.download')}
                </a>
                {item.kind === 'email' ? <a href={href(`threads/${item.id}`)}>{t('item.thread')}</a> : null}
                <form
                  class="inline"
                  onSubmit={(e) => {
                    e.preventDefault();
                    if (/^\d+$/.test(other)) navigate('compare', { a: item.id, b: other });
                  }}
                >
                  <label>
                    {t('item.compareWith')}{' '}
                    <input name="compare" size={6} value={other} onInput={(e) => setOther((e.target as HTMLInputElement).value)} />
                  </label>
                  <button type="submit">{t('compare.go')}</button>
                </form>
              </p>
            </header>
            <div class="item-layout">
              <div class="main-col">
                <h2>{t('item.evidence')}</h2>
                <Evidence findings={item.findings} />
                {dkim.length > 0 ? (
                  <>
                    <h2>{t('item.dkim')}</h2>
                    <DkimTable rows={dkim} />
                  </>
                ) : null}
                {item.email ? (
                  <>
                    <h2>{t('item.headers')}</h2>
                    <table class="kv headers" data-testid="headers">
                      <tbody>
                        {item.email.headers.map((h) => (
                          <tr>
                            <th>{h.name}</th>
                            <td>{h.value}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                    <details>
                      <summary>{t('item.rawHeaders')}</summary>
                      <pre class="raw">{item.email.rawHeaders}</pre>
                    </details>
                    <h2>{t('item.body')}</h2>
                    <pre class="body" data-testid="body">
                      {item.email.text}
                    </pre>
                    {item.email.hasHtml ? (
                      <>
                        <h2>{t('item.html')}</h2>
                        {/* No allow-scripts, no allow-same-origin; the response's own CSP blocks all remote loads. */}
                        <iframe class="html-body" sandbox="" referrerpolicy="no-referrer" title="HTML" src={`api/items/${item.id}/html`} />
                      </>
                    ) : null}
                  </>
                ) : null}
                {item.text ? (
                  <>
                    <h2>{t('item.text')}</h2>
                    <pre class="body">{item.text}</pre>
                  </>
                ) : null}
              </div>
              <div class="side-col">
                <Annotations item={item} onChange={replace} />
                {item.children.length > 0 || (item.email?.attachments.length ?? 0) > 0 ? (
                  <>
                    <h2>{t('item.attachments')}</h2>
                    <Tree nodes={item.children} />
                    {item.children.length === 0 ? (
                      <ul>
                        {item.email?.attachments.map((a) => (
                          <li>
                            {a.filename ?? '(unnamed)'} <span class="muted small">{a.mimeType}</span>
                          </li>
                        ))}
                      </ul>
                    ) : null}
                  </>
                ) : null}
                <h2>{t('item.occurrences')}</h2>
                <ul class="paths" data-testid="occurrences">
                  {item.occurrences.map((o) => (
                    <li>
                      <code>{o.path}</code>
                      {o.parent ? (
                        <span class="small">
                          {' '}
                          ({t('item.carriedBy')} <a href={href(`item/${o.parent.id}`)}>{o.parent.title}</a>)
                        </span>
                      ) : null}
                    </li>
                  ))}
                </ul>
                <SpreadLinks id={item.id} />
                <h2>{t('item.metadata')}</h2>
                <Metadata fields={item.fields} />
              </div>
            </div>
          </article>
        );
      }}
    </Show>
  );
}
