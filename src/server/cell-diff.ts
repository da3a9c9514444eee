// Spreadsheet comparison by cell address: a value moved by one row shows as changed cells, which is what an
// editor checking a doctored budget needs (a line diff of the tab-separated text blurs which cell changed).

export interface Cell {
  sheet: string;
  ref: string;
  value: string;
}

/** One changed cell: `a` or `b` is null when the cell exists on one side only. */
export interface CellChange {
  sheet: string;
  ref: string;
  a: string | null;
  b: string | null;
}

/** The cells stored for an item (Case.textOf(id).cells), or null when it has none or they are malformed. */
export function asCells(stored: unknown[] | null | undefined): Cell[] | null {
  if (!stored) return null;
  const out: Cell[] = [];
  for (const c of stored) {
    if (c === null || typeof c !== 'object') continue;
    const { sheet, ref, value } = c as Record<string, unknown>;
    if (typeof sheet === 'string' && typeof ref === 'string') out.push({ sheet, ref, value: typeof value === 'string' ? value : String(value ?? '') });
  }
  return out;
}

/** Column letters then row number, so B2 < B10 < AA1 within a sheet. */
function refOrder(ref: string): [number, number] {
  const m = /^([A-Z]+)(\d+)$/i.exec(ref);
  if (!m) return [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];
  const col = [...(m[1] ?? '').toUpperCase()].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
  return [Number(m[2]), col];
}

/** Cells that differ, were added or were removed, sheet by sheet in the order they appear, then row, then column. */
export function diffCells(a: readonly Cell[], b: readonly Cell[]): CellChange[] {
  const key = (c: Cell): string => `${c.sheet}\u0000${c.ref.toUpperCase()}`;
  const left = new Map(a.map((c) => [key(c), c]));
  const right = new Map(b.map((c) => [key(c), c]));
  const sheets = [...new Set([...a, ...b].map((c) => c.sheet))];
  const changes: CellChange[] = [];
  for (const k of new Set([...left.keys(), ...right.keys()])) {
    const l = left.get(k);
    const r = right.get(k);
    if (l && r && l.value === r.value) continue;
    const c = (l ?? r) as Cell;
    changes.push({ sheet: c.sheet, ref: c.ref.toUpperCase(), a: l?.value ?? null, b: r?.value ?? null });
  }
  return changes.sort((x, y) => {
    const [rx, cx] = refOrder(x.ref);
    const [ry, cy] = refOrder(y.ref);
    return sheets.indexOf(x.sheet) - sheets.indexOf(y.sheet) || rx - ry || cx - cy;
  });
}
