// mailer.fingerprint: each mail client leaves a recognisable style (X-Mailer/User-Agent, Message-ID
// format, MIME boundary, header order). A forger who edits one of them rarely edits all, and a forged
// message written with another program looks unlike the sender's authenticated mail.
import type { Finding, Json } from '../../model.js';
import type { CorpusCheck, EmailFacts } from '../corpus.js';
import { addFinding, firstHeader, topBoundary } from './headers.js';

export type Product = 'outlook' | 'outlook-mac' | 'thunderbird' | 'apple' | 'gmail';
/** Unknown software may also produce a generic style; it never contradicts anything. */
type Possible = ReadonlySet<Product | 'other'>;

const ALL: Possible = new Set<Product | 'other'>(['outlook', 'outlook-mac', 'thunderbird', 'apple', 'gmail', 'other']);

export interface Fingerprint {
  /** Product named by X-Mailer / User-Agent; 'bulk' for mass-mailing platforms. */
  declared?: Product | 'bulk';
  declaredText?: string;
  messageIdStyle?: string;
  boundaryStyle?: string;
  /** Products compatible with every signal, when at least one signal is known. */
  products: Product[];
  /** Order of the core headers the client writes, e.g. 'from>to>subject>date>message-id'. */
  layout: string;
  /** Right-hand side of the Message-ID, lowercased. */
  idHost?: string;
}

interface Style { name: string; test: RegExp; products: Possible }

const p = (...xs: (Product | 'other')[]): Possible => new Set(xs);

// Built-in knowledge. Message-ID right-hand sides and boundaries as written by each client.
const MESSAGE_ID_STYLES: Style[] = [
  { name: 'gmail', test: /^CA[A-Za-z0-9+_=\-.]{20,}@mail\.gmail\.com$/, products: p('gmail') },
  { name: 'exchange-online', test: /@[A-Za-z0-9.-]+\.prod\.outlook\.com$/i, products: p('outlook', 'outlook-mac') },
  { name: 'outlook-classic', test: /^[0-9a-f]{12}\$[0-9a-f]{8}\$[0-9a-f]{8}\$@/i, products: p('outlook') },
  { name: 'exchange-onprem', test: /^[0-9A-F]{32,}@[A-Z0-9-]+(\.[A-Za-z0-9.-]+)?$/, products: p('outlook') },
  { name: 'uuid-upper', test: /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}@/, products: p('apple', 'outlook-mac', 'other') },
  { name: 'uuid-lower', test: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}@/, products: p('thunderbird', 'other') },
  { name: 'mozilla-legacy', test: /^[0-9A-F]{8}\.\d{7,8}@/, products: p('thunderbird', 'other') },
];

const BOUNDARY_STYLES: Style[] = [
  { name: 'exchange', test: /^_\d{3}_/, products: p('outlook', 'outlook-mac') },
  { name: 'outlook-nextpart', test: /^----=_NextPart_\d{3}_/, products: p('outlook') },
  { name: 'outlook-mac', test: /^B_\d{6,}_\d+$/, products: p('outlook-mac') },
  { name: 'mozilla', test: /^-{12}[A-Za-z0-9]{24}$/, products: p('thunderbird') },
  { name: 'apple-mail', test: /^Apple-Mail(=_|-)[0-9A-F-]{8,}/, products: p('apple') },
  { name: 'gmail', test: /^0{12}[0-9a-f]{16}$/, products: p('gmail') },
];

function declaredProduct(email: EmailFacts): { product?: Product | 'bulk'; text?: string } {
  const text = firstHeader(email, 'x-mailer') ?? firstHeader(email, 'user-agent');
  if (!text) return {};
  const t = text.trim();
  let product: Product | 'bulk' | undefined;
  if (/Microsoft-MacOutlook|Outlook for Mac/i.test(t)) product = 'outlook-mac';
  else if (/Microsoft (Office )?Outlook/i.test(t)) product = 'outlook';
  else if (/Thunderbird|SeaMonkey|Betterbird|Icedove/i.test(t)) product = 'thunderbird';
  else if (/^(Apple Mail|iPhone Mail|iPad Mail)\b/i.test(t)) product = 'apple';
  else if (/Mailchimp|SendGrid|Sendinblue|Brevo|Mailjet|PHPMailer|MailerLite|Campaign Monitor|Mautic|Salesforce|HubSpot/i.test(t)) product = 'bulk';
  return { ...(product ? { product } : {}), text: t };
}

/** Headers every message has, so their relative order is the client's, not the message's content. */
const CORE = ['from', 'to', 'subject', 'date', 'message-id', 'mime-version', 'content-type'];

/** Fingerprint of one message from its own headers, using built-in knowledge only. */
export function fingerprintOf(email: EmailFacts): Fingerprint {
  const { product: declared, text } = declaredProduct(email);
  const id = email.messageId ?? '';
  const idStyle = id ? MESSAGE_ID_STYLES.find((s) => s.test.test(id)) : undefined;
  const boundary = topBoundary(email);
  const bStyle = boundary ? BOUNDARY_STYLES.find((s) => s.test.test(boundary)) : undefined;
  let possible: Possible = declared && declared !== 'bulk' ? new Set([declared]) : ALL;
  for (const style of [idStyle, bStyle]) {
    if (style) possible = new Set([...possible].filter((x) => style.products.has(x)));
  }
  const known = (declared && declared !== 'bulk') || idStyle || bStyle;
  const seen = new Set<string>();
  const layout = email.headers
    .map((h) => h.name.toLowerCase())
    .filter((n) => CORE.includes(n) && !seen.has(n) && seen.add(n))
    .join('>');
  const at = id.lastIndexOf('@');
  return {
    ...(declared ? { declared } : {}),
    ...(text ? { declaredText: text } : {}),
    ...(idStyle ? { messageIdStyle: idStyle.name } : {}),
    ...(bStyle ? { boundaryStyle: bStyle.name } : {}),
    products: known ? ([...possible].filter((x) => x !== 'other') as Product[]) : [],
    layout,
    ...(at > 0 ? { idHost: id.slice(at + 1).toLowerCase() } : {}),
  };
}

/** Single product a message was written with, when its signals pin one down. */
export function productOf(fp: Fingerprint): Product | undefined {
  if (fp.declared && fp.declared !== 'bulk') return fp.products.includes(fp.declared) ? fp.declared : undefined;
  if (fp.products.length === 1) return fp.products[0];
  // Exchange-style id and boundary without X-Mailer: some Outlook, Windows or Mac alike.
  return fp.products.length > 1 && fp.products.every((x) => x.startsWith('outlook')) ? 'outlook' : undefined;
}

/** A message's signals contradict each other: no product is compatible with all of them. */
export function isContradictory(fp: Fingerprint): boolean {
  if (fp.declared === 'bulk') return false;
  const signals = [fp.declared, fp.messageIdStyle, fp.boundaryStyle].filter(Boolean).length;
  return signals >= 2 && fp.products.length === 0;
}

const fpEvidence = (fp: Fingerprint): Json => ({
  declared: fp.declaredText ?? null,
  messageIdStyle: fp.messageIdStyle ?? null,
  boundaryStyle: fp.boundaryStyle ?? null,
  product: productOf(fp) ?? null,
  layout: fp.layout,
});

/** What a sender's (or domain's) verified mail looks like. */
interface Habit { products: Map<Product, number>; layouts: Map<string, Set<string>>; count: number }

export const MIN_VERIFIED_SENDER = 3;
export const MIN_VERIFIED_DOMAIN = 5;

function learn(emails: Iterable<EmailFacts>, key: (e: EmailFacts) => string | undefined): Map<string, Habit> {
  const habits = new Map<string, Habit>();
  for (const e of emails) {
    const k = key(e);
    if (!e.verified || !k) continue;
    const fp = fingerprintOf(e);
    const product = productOf(fp);
    const h = habits.get(k) ?? { products: new Map(), layouts: new Map(), count: 0 };
    h.count++;
    if (product) {
      h.products.set(product, (h.products.get(product) ?? 0) + 1);
      const layouts = h.layouts.get(product) ?? new Set<string>();
      layouts.add(fp.layout);
      h.layouts.set(product, layouts);
    }
    habits.set(k, h);
  }
  return habits;
}

export const mailerFingerprint: CorpusCheck = {
  meta: {
    id: 'mailer.fingerprint',
    title: 'Mail client fingerprint contradicts itself or the sender\'s verified mail',
    description:
      'Outlook, Thunderbird, Apple Mail, Gmail and others each write their own X-Mailer/User-Agent, ' +
      'Message-ID format, MIME boundary and header order. A message whose X-Mailer names one client while its ' +
      'Message-ID or boundary is another\'s was edited or generated by a third program; a message unlike all of ' +
      'the sender\'s DKIM-verified mail in the dump (another client, or the same client with another header ' +
      'order) may have been written by someone else. Innocent explanations: a second device (phone, webmail), a ' +
      'client update, a gateway that rebuilds MIME, a mass-mailing platform. Unknown clients yield nothing.',
    severity: 'warning',
  },
  run(emails) {
    const out = new Map<number, Finding[]>();
    const bySender = learn(emails, (e) => e.from?.address);
    const byDomain = learn(emails, (e) => e.from?.domain);
    for (const email of emails) {
      const fp = fingerprintOf(email);
      if (isContradictory(fp)) {
        addFinding(out, email.itemId, {
          check: 'mailer.fingerprint',
          severity: 'warning',
          message: `Client signals contradict each other: ${[fp.declaredText && `X-Mailer/User-Agent "${fp.declaredText}"`, fp.messageIdStyle && `${fp.messageIdStyle} Message-ID`, fp.boundaryStyle && `${fp.boundaryStyle} MIME boundary`].filter(Boolean).join(', ')} cannot come from one client.`,
          evidence: { fingerprint: fpEvidence(fp), messageId: email.messageId ?? null, boundary: topBoundary(email) ?? null },
        });
        continue;
      }
      if (email.verified || !email.from || fp.declared === 'bulk') continue;
      const product = productOf(fp);
      if (!product) continue;
      const sender = bySender.get(email.from.address);
      const domain = byDomain.get(email.from.domain);
      const [scope, habit] = sender && sender.count >= MIN_VERIFIED_SENDER
        ? ['sender', sender] as const
        : domain && domain.count >= MIN_VERIFIED_DOMAIN ? ['domain', domain] as const : [undefined, undefined];
      if (!scope || !habit || habit.products.size === 0) continue;
      const learned = Object.fromEntries([...habit.products].map(([k, v]) => [k, v]));
      if (!habit.products.has(product)) {
        addFinding(out, email.itemId, {
          check: 'mailer.fingerprint',
          severity: 'warning',
          message: `Written with ${product}, but the ${habit.count} DKIM-verified messages of this ${scope} (${scope === 'sender' ? email.from.address : email.from.domain}) come from ${[...habit.products.keys()].join(', ')}.`,
          evidence: { scope, fingerprint: fpEvidence(fp), verifiedMessages: habit.count, verifiedProducts: learned },
        });
        continue;
      }
      const layouts = habit.layouts.get(product);
      // Only a settled habit (one layout over several verified messages) makes a new layout telling.
      if (scope === 'sender' && layouts && layouts.size === 1 && (habit.products.get(product) ?? 0) >= MIN_VERIFIED_SENDER && !layouts.has(fp.layout)) {
        addFinding(out, email.itemId, {
          check: 'mailer.fingerprint',
          severity: 'warning',
          message: `Header order differs from every DKIM-verified ${product} message of ${email.from.address}.`,
          evidence: { scope, fingerprint: fpEvidence(fp), verifiedLayout: [...layouts][0] ?? null, verifiedProducts: learned },
        });
      }
    }
    return out;
  },
};
