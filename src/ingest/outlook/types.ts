// The event type shared with the generic container readers (zip/tar/gz).
export type { ContainerEvent, ProblemCode } from '../containers/types.js';

/** A mailbox address as Outlook stores it: display name and (SMTP or X.500) address. */
export interface MailAddress {
  name?: string;
  address?: string;
}

export interface OutlookAttachment {
  fileName: string;
  mimeType?: string;
  contentId?: string;
  /** File data; absent when the attachment is an embedded message. */
  data?: Uint8Array;
  /** An attached Outlook item (attach method 5), rebuilt as message/rfc822. */
  embedded?: OutlookMessage;
}

/**
 * The parts of an Outlook item (from a PST or a .msg) needed to rebuild an RFC 822 message.
 * Strings are already decoded to Unicode.
 */
export interface OutlookMessage {
  messageClass?: string;
  /** PR_TRANSPORT_MESSAGE_HEADERS: the header block as received, when the item was received. */
  transportHeaders?: string;
  subject?: string;
  from?: MailAddress;
  to: MailAddress[];
  cc: MailAddress[];
  bcc: MailAddress[];
  date?: Date;
  messageId?: string;
  text?: string;
  html?: string;
  /** Decompressed RTF body, kept as an attachment when there is no HTML body. */
  rtf?: Uint8Array;
  attachments: OutlookAttachment[];
}

export type RebuiltOrigin = 'outlook-pst' | 'outlook-msg' | 'outlook-tnef';
