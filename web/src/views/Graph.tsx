import { useMemo } from 'preact/hooks';
import { apiGet } from '../api';
import { Show } from '../components';
import { useLoad } from '../hooks';
import { useT } from '../i18n';
import { forceLayout } from '../layout';
import { href, navigate } from '../router';
import type { Graph as GraphData } from '../types';

const W = 900;
const H = 600;

function GraphSvg({ g }: { g: GraphData }) {
  const placed = useMemo(() => {
    const pos = new Map(forceLayout(g.nodes.map((n) => n.id), g.edges, W, H).map((p) => [p.id, p]));
    return pos;
  }, [g]);
  const maxW = Math.max(1, ...g.edges.map((e) => e.weight));
  return (
    <svg class="graph" viewBox={`0 0 ${W} ${H}`} role="img" data-testid="graph">
      {g.edges.map((e) => {
        const a = placed.get(e.source);
        const b = placed.get(e.target);
        return a && b ? (
          <line x1={a.x} y1={a.y} x2={b.x} y2={b.y} class="edge" stroke-width={1 + (4 * e.weight) / maxW}>
            <title>{`${e.source} → ${e.target}: ${e.weight}`}</title>
          </line>
        ) : null;
      })}
      {g.nodes.map((n) => {
        const p = placed.get(n.id);
        return p ? (
          <a href={href('search', { q: `from:"${n.id}"` })}>
            <circle cx={p.x} cy={p.y} r={4 + Math.min(12, Math.sqrt(n.sent + n.received) * 2)} class="node">
              <title>{`${n.id} (${n.sent} → / → ${n.received})`}</title>
            </circle>
            {/* Labels of nodes in the right half run leftwards, so names stay inside the canvas. */}
            <text x={p.x > W / 2 ? p.x - 8 : p.x + 8} y={p.y - 8} text-anchor={p.x > W / 2 ? 'end' : 'start'} class="node-label">
              {n.id}
            </text>
          </a>
        ) : null;
      })}
    </svg>
  );
}

export function Graph({ params }: { params: URLSearchParams }) {
  const t = useT();
  const verdict = params.get('verdict') ?? '';
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const [g] = useLoad(() => apiGet<GraphData>('graph', { verdict, from, to }), [verdict, from, to]);
  const set = (k: string, v: string) => navigate('graph', { verdict, from, to, [k]: v });
  return (
    <section>
      <h1>{t('graph.title')}</h1>
      <form class="inline" onSubmit={(e) => e.preventDefault()}>
        <select value={verdict} onChange={(e) => set('verdict', (e.target as HTMLSelectElement).value)}>
          <option value="">{t('graph.allVerdicts')}</option>
          {(['verified', 'tampered', 'suspicious', 'consistent'] as const).map((v) => (
            <option value={v}>{t(`verdict.${v}`)}</option>
          ))}
        </select>
        <label>
          {t('graph.from')} <input size={10} placeholder="2017-01" value={from} onChange={(e) => set('from', (e.target as HTMLInputElement).value)} />
        </label>
        <label>
          {t('graph.to')} <input size={10} placeholder="2017-05" value={to} onChange={(e) => set('to', (e.target as HTMLInputElement).value)} />
        </label>
      </form>
      <Show value={g}>
        {(data) => (
          <>
            <p class="muted">
              {data.emails} {t('graph.emails')} · {data.nodes.length} {t('graph.people')} · {data.edges.length} {t('graph.links')}
            </p>
            <GraphSvg g={data} />
          </>
        )}
      </Show>
    </section>
  );
}
