// The findings `tamis domains --case` leaves on the emails that carry a look-alike (stage 'domains').
// They say what a message is (phishing), not whether it was altered: verdicts ignore them.
import type { CheckMeta } from '../checks/check.js';

export const LOOKALIKE_SENDER: CheckMeta = {
  id: 'domain.lookalike-sender',
  title: 'Sent from a domain that imitates a protected one',
  description:
    'The From, Sender, Reply-To or envelope sender is a look-alike of a domain the case protects (the organisation\'s own or a provider\'s): a generated typo or homoglyph variant, the same skeleton once confusable characters are folded, a small edit, or the brand inside another registered name. Phishing before a leak is sent this way. Innocent explanations: a domain the organisation itself registered (add it with --owner), a partner or supplier whose name happens to be close, a typo in a hand-written address. It does not change the message\'s verdict: a phishing email can be perfectly authentic.',
  severity: 'warning',
};

export const LOOKALIKE_LINK: CheckMeta = {
  id: 'domain.lookalike-link',
  title: 'Links or refers to a domain that imitates a protected one',
  description:
    'A link in the body (or a link\'s text, an address in the text or an attachment, a List-Unsubscribe target) points to a look-alike of a protected domain, as login-page phishing does. Innocent explanations: the organisation\'s own campaign or short-link domain not yet declared with --owner, a news article quoting the look-alike, or a security warning about it.',
  severity: 'warning',
};

export const LINK_TEXT_MISMATCH: CheckMeta = {
  id: 'domain.link-text-mismatch',
  title: 'Link text shows one domain, the link goes to another',
  description:
    'The visible text of a link names a protected (or look-alike) domain while the link itself goes to a different registered domain that no owner declares: what a reader thought they opened is not what their browser opened. Innocent explanations: click tracking by a mailing service not in the quiet list, URL shorteners, or a link rewritten by a security gateway (Safe Links, URL Defense).',
  severity: 'warning',
};

export const DOMAIN_CHECKS: readonly CheckMeta[] = [LOOKALIKE_SENDER, LOOKALIKE_LINK, LINK_TEXT_MISMATCH];
