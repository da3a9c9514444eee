import type { ComponentChildren } from 'preact';
import type { Loaded } from './hooks';
import { useT } from './i18n';
import type { Verdict } from './types';

export function VerdictBadge({ verdict }: { verdict: string }) {
  const t = useT();
  const known = ['verified', 'tampered', 'suspicious', 'consistent'].includes(verdict);
  return <span class={`badge verdict-${known ? verdict : 'unknown'}`}>{known ? t(`verdict.${verdict as Verdict}`) : verdict}</span>;
}

export function Show<T>({ value, children }: { value: Loaded<T>; children: (data: T) => ComponentChildren }) {
  const t = useT();
  if (value.state === 'loading') return <p class="muted">{t('loading')}</p>;
  if (value.state === 'error') return <p class="error" role="alert">{value.message}</p>;
  return <>{children(value.data)}</>;
}

export function formatDate(iso: string | null): string {
  if (!iso) return '';
  return iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');
}
