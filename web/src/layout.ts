/**
 * A small deterministic force layout (Fruchterman–Reingold) for the correspondence graph. Hand-written
 * because the graphs shown are small (a few hundred nodes) and a graph library would weigh more than the app.
 */
export interface Placed {
  id: string;
  x: number;
  y: number;
}

export function forceLayout(ids: string[], edges: { source: string; target: string }[], width: number, height: number, rounds = 300): Placed[] {
  const n = ids.length;
  const index = new Map(ids.map((id, i) => [id, i]));
  const x = ids.map((_, i) => width / 2 + (width / 3) * Math.cos((2 * Math.PI * i) / Math.max(n, 1)));
  const y = ids.map((_, i) => height / 2 + (height / 3) * Math.sin((2 * Math.PI * i) / Math.max(n, 1)));
  const k = Math.sqrt((width * height) / Math.max(n, 1)) * 0.6;
  const links = edges
    .map((e) => [index.get(e.source), index.get(e.target)] as const)
    .filter((p): p is readonly [number, number] => p[0] !== undefined && p[1] !== undefined);
  for (let round = 0; round < rounds; round++) {
    const temp = (width / 10) * (1 - round / rounds);
    const dx = new Array<number>(n).fill(0);
    const dy = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const ddx = (x[i] ?? 0) - (x[j] ?? 0) || 0.01;
        const ddy = (y[i] ?? 0) - (y[j] ?? 0) || 0.01;
        const d2 = ddx * ddx + ddy * ddy;
        const f = (k * k) / d2;
        dx[i] = (dx[i] ?? 0) + ddx * f;
        dy[i] = (dy[i] ?? 0) + ddy * f;
        dx[j] = (dx[j] ?? 0) - ddx * f;
        dy[j] = (dy[j] ?? 0) - ddy * f;
      }
    }
    for (const [a, b] of links) {
      const ddx = (x[a] ?? 0) - (x[b] ?? 0);
      const ddy = (y[a] ?? 0) - (y[b] ?? 0);
      const d = Math.sqrt(ddx * ddx + ddy * ddy) || 0.01;
      const f = d / k;
      dx[a] = (dx[a] ?? 0) - ddx * f;
      dy[a] = (dy[a] ?? 0) - ddy * f;
      dx[b] = (dx[b] ?? 0) + ddx * f;
      dy[b] = (dy[b] ?? 0) + ddy * f;
    }
    for (let i = 0; i < n; i++) {
      const len = Math.sqrt((dx[i] ?? 0) ** 2 + (dy[i] ?? 0) ** 2) || 1;
      const step = Math.min(len, temp);
      x[i] = Math.min(width - 20, Math.max(20, (x[i] ?? 0) + ((dx[i] ?? 0) / len) * step));
      y[i] = Math.min(height - 20, Math.max(20, (y[i] ?? 0) + ((dy[i] ?? 0) / len) * step));
    }
  }
  return ids.map((id, i) => ({ id, x: x[i] ?? 0, y: y[i] ?? 0 }));
}
