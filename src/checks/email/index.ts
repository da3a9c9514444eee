// The case-level email checks that need no signature of their own, in report order.
import type { CorpusCheck } from '../corpus.js';
import { authResultsContradiction } from './auth-results-contradiction.js';
import { dkimSigningHabit } from './dkim-signing-habit.js';
import { mailerFingerprint } from './mailer-fingerprint.js';
import { receivedOrder } from './received-order.js';
import { threadQuote } from './thread-quote.js';

export const emailChecks: CorpusCheck[] = [receivedOrder, mailerFingerprint, dkimSigningHabit, authResultsContradiction, threadQuote];

export { authResultsContradiction, dkimSigningHabit, mailerFingerprint, receivedOrder, threadQuote };
