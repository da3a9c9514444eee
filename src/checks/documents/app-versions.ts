// When office software versions first existed, to catch files claiming to be saved by software that
// had not been released yet. Dates are the first public release (beta/preview where there was a
// public one), so genuine early adopters are not flagged; a margin is added on top by the caller.

/** Office AppVersion major (docProps/app.xml `AppVersion` "16.0000") → first public build. */
export const OFFICE_APPVERSION: ReadonlyMap<number, { name: string; since: string }> = new Map([
  [11, { name: 'Office 2003', since: '2003-03-10' }], // OOXML compatibility pack wrote 11/12
  [12, { name: 'Office 2007', since: '2006-05-23' }], // Beta 2
  [14, { name: 'Office 2010', since: '2009-07-13' }], // Technical Preview
  [15, { name: 'Office 2013', since: '2012-07-16' }], // Customer Preview
  [16, { name: 'Office 2016 / 2019 / 2021 / Microsoft 365', since: '2015-01-22' }], // Office for Windows 10 preview
]);

/** LibreOffice major.minor → release date (beta releases come ~6 weeks earlier: see the margin). */
export const LIBREOFFICE_RELEASES: ReadonlyMap<string, string> = new Map([
  ['3.3', '2011-01-25'], ['3.4', '2011-06-03'], ['3.5', '2012-02-14'], ['3.6', '2012-08-08'],
  ['4.0', '2013-02-07'], ['4.1', '2013-07-25'], ['4.2', '2014-01-30'], ['4.3', '2014-07-30'], ['4.4', '2015-01-29'],
  ['5.0', '2015-08-05'], ['5.1', '2016-02-10'], ['5.2', '2016-08-03'], ['5.3', '2017-02-01'], ['5.4', '2017-07-28'],
  ['6.0', '2018-01-31'], ['6.1', '2018-08-08'], ['6.2', '2019-02-07'], ['6.3', '2019-08-08'], ['6.4', '2020-01-29'],
  ['7.0', '2020-08-05'], ['7.1', '2021-02-03'], ['7.2', '2021-08-19'], ['7.3', '2022-02-02'], ['7.4', '2022-08-18'],
  ['7.5', '2023-02-02'], ['7.6', '2023-08-21'], ['24.2', '2024-02-01'], ['24.8', '2024-08-22'], ['25.2', '2025-02-06'],
  ['25.8', '2025-08-20'],
]);

/** "Microsoft® Word 2016" and similar PDF producers/applications → first public build of that version. */
const OFFICE_YEAR_SINCE: ReadonlyMap<string, string> = new Map([
  ['2007', '2006-05-23'], ['2010', '2009-07-13'], ['2013', '2012-07-16'], ['2016', '2015-01-22'],
  ['2019', '2018-04-24'], ['2021', '2021-04-20'], ['2024', '2024-04-16'],
]);

export interface SoftwareClaim {
  /** The field and value that name the software. */
  field: string;
  value: string;
  software: string;
  /** First public release, ISO date. */
  since: string;
}

/** What the metadata says about the software that wrote the file, with when that software first existed. */
export function softwareClaims(meta: { application?: string; appVersion?: string; producer?: string; creatorTool?: string }): SoftwareClaim[] {
  const out: SoftwareClaim[] = [];
  const app = meta.application ?? '';
  const isMicrosoft = app === '' || /microsoft/i.test(app);
  const major = meta.appVersion ? /^(\d+)\./.exec(meta.appVersion.trim())?.[1] : undefined;
  if (major && isMicrosoft) {
    const row = OFFICE_APPVERSION.get(Number(major));
    if (row) out.push({ field: 'appVersion', value: meta.appVersion ?? '', software: row.name, since: row.since });
  }
  for (const [field, value] of [['application', meta.application], ['producer', meta.producer], ['creatorTool', meta.creatorTool]] as const) {
    if (!value) continue;
    const lo = /LibreOffice[ /_](\d+\.\d+)/i.exec(value);
    const loSince = lo?.[1] ? LIBREOFFICE_RELEASES.get(lo[1]) : undefined;
    if (lo && loSince) out.push({ field, value, software: `LibreOffice ${lo[1]}`, since: loSince });
    const ms = /Microsoft\S*\s+(?:Office\s+)?(?:Word|Excel|PowerPoint)\s+(20\d\d)\b/i.exec(value);
    const msSince = ms?.[1] ? OFFICE_YEAR_SINCE.get(ms[1]) : undefined;
    if (ms && msSince) out.push({ field, value, software: `Microsoft Office ${ms[1]}`, since: msSince });
  }
  return out;
}
