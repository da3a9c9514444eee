// Domains that legitimately carry other organisations' names or show up in everyone's mail, so a
// brand token or a small edit inside them means nothing: email service providers' tracking and
// bounce hosts, CDNs, mailing-list hosts. A policy list, kept short; `--owner` adds to it per case.
// Also the families of the big providers, so protecting office.com allows Microsoft's own domains.

export const QUIET_INFRASTRUCTURE: ReadonlySet<string> = new Set([
  // email service providers: click tracking, bounces, images
  'list-manage.com', 'mailchimp.com', 'mcsv.net', 'mcdlv.net', 'mandrillapp.com', 'sendgrid.net', 'sendgrid.com',
  'mailgun.org', 'mailgun.net', 'amazonses.com', 'sparkpostmail.com', 'mailjet.com', 'mj.am', 'sendinblue.com',
  'brevo.com', 'sib.fr', 'rsgsv.net', 'exacttarget.com', 'cmail19.com', 'cmail20.com', 'createsend.com',
  'hubspotemail.net', 'hs-sites.com', 'mktomail.com', 'emarsys.net', 'pardot.com', 'constantcontact.com',
  // CDNs and hosting of static files
  'cloudfront.net', 'akamaihd.net', 'akamaiedge.net', 'edgesuite.net', 'fastly.net', 'cloudflare.net',
  'cloudflare.com', 'jsdelivr.net', 'cdnjs.com', 'unpkg.com', 'azureedge.net', 'googleusercontent.com',
  'gstatic.com', 'googleapis.com',
  // mailing-list hosts
  'googlegroups.com', 'groups.io', 'freelists.org', 'sympa.org', 'lists.sourceforge.net', 'framalistes.org',
]);

/** Legitimate domains of a provider, allowed whenever one of them is protected. */
export const PROVIDER_FAMILIES: ReadonlyArray<readonly string[]> = [
  ['office.com', 'microsoft.com', 'outlook.com', 'live.com', 'hotmail.com', 'office365.com', 'office.net',
    'sharepoint.com', 'onmicrosoft.com', 'microsoftonline.com', 'onedrive.com', 'windows.net', 'msn.com'],
  ['google.com', 'gmail.com', 'googlemail.com', 'google.fr', 'youtube.com', 'googlegroups.com'],
  ['dropbox.com', 'dropboxusercontent.com', 'dropboxmail.com'],
];
