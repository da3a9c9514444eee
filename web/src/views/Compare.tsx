import { useState } from 'preact/hooks';
import { apiGet } from '../api';
import { Show, VerdictBadge } from '../components';
import { useLoad } from '../hooks';
import { useT } from '../i18n';
import { href, navigate } from '../router';
import type { CompareResult } from '../types';

/** Pairs deleted and added runs so a changed line sits beside its replacement. */
function sideBySide(lines: CompareResult['lines']): { left: string | null; right: string | null; op: string }[] {
  const rows: { left: string | null; right: string | null; op: string }[] = [];
  let i = 0;
  while (i < lines.length) {
    const l = lines[i];
    if (!l) break;
    if (l.op === 'same') {
      rows.push({ left: l.text, right: l.text, op: 'same' });
      i++;
      continue;
    }
    const dels: string[] = [];
    const adds: string[] = [];
    while (lines[i]?.op === 'del') dels.push(lines[i++]?.text ?? '');
    while (lines[i]?.op === 'add') adds.push(lines[i++]?.text ?? '');
    for (let k = 0; k < Math.max(dels.length, adds.length); k++) {
      rows.push({ left: dels[k] ?? null, right: adds[k] ?? null, op: 'change' });
    }
  }
  return rows;
}

/** Changed cells of two spreadsheets; an empty side means the cell exists on the other side only. */
function CellChanges({ cells }: { cells: NonNullable<CompareResult['cells']> }) {
  const t = useT();
  if (cells.length === 0) return <p>{t('compare.noCells')}</p>;
  return (
    <table class="diff cells" data-testid="cells">
      <thead>
        <tr>
          <th>{t('compare.sheet')}</th>
          <th>{t('compare.cell')}</th>
          <th>A</th>
          <th>B</th>
        </tr>
      </thead>
      <tbody>
        {cells.map((c) => (
          <tr class="diff-change">
            <td>{c.sheet}</td>
            <td>{c.ref}</td>
            <td class={c.a !== null ? 'del' : ''}>{c.a ?? ''}</td>
            <td class={c.b !== null ? 'add' : ''}>{c.b ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Compare({ params }: { params: URLSearchParams }) {
  const t = useT();
  const a = params.get('a') ?? '';
  const b = params.get('b') ?? '';
  const [da, setA] = useState(a);
  const [db, setB] = useState(b);
  const ready = /^\d+$/.test(a) && /^\d+$/.test(b);
  const [diff] = useLoad(() => (ready ? apiGet<CompareResult>('compare', { a, b }) : Promise.reject(new Error('—'))), [a, b]);
  return (
    <section>
      <h1>{t('compare.title')}</h1>
      <form
        class="inline"
        onSubmit={(e) => {
          e.preventDefault();
          navigate('compare', { a: da, b: db });
        }}
      >
        <input name="a" size={6} value={da} aria-label="A" onInput={(e) => setA((e.target as HTMLInputElement).value)} />
        <input name="b" size={6} value={db} aria-label="B" onInput={(e) => setB((e.target as HTMLInputElement).value)} />
        <button type="submit">{t('compare.go')}</button>
      </form>
      {ready ? (
        <Show value={diff}>
          {(d) => (
            <>
              <table class="diff" data-testid="diff">
                <thead>
                  <tr>
                    <th>
                      <VerdictBadge verdict={d.a.verdict} /> <a href={href(`item/${d.a.id}`)}>#{d.a.id} {d.a.title}</a>
                    </th>
                    <th>
                      <VerdictBadge verdict={d.b.verdict} /> <a href={href(`item/${d.b.id}`)}>#{d.b.id} {d.b.title}</a>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {sideBySide(d.lines).map((r) => (
                    <tr class={`diff-${r.op}`}>
                      <td class={r.op === 'change' && r.left !== null ? 'del' : ''}>{r.left ?? ''}</td>
                      <td class={r.op === 'change' && r.right !== null ? 'add' : ''}>{r.right ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {d.cells ? (
                <>
                  <h2>{t('compare.cells')}</h2>
                  <CellChanges cells={d.cells} />
                </>
              ) : null}
              <h2>{t('compare.fields')}</h2>
              <table class="grid">
                <tbody>
                  {d.metadata.map((m) => (
                    <tr class={m.same ? '' : 'diff-change'}>
                      <th>{m.key}</th>
                      <td>{m.a}</td>
                      <td>{m.b}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </Show>
      ) : null}
    </section>
  );
}
