import type { EmailAuthResult } from '../../dkim/types.js';

/** What the DKIM/ARC checks read: the verifier's full result for one email. */
export interface EmailAuthContext {
  auth: EmailAuthResult;
}
