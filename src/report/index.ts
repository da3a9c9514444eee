// Renderers of the report contract (types.ts). All are pure: same report in, same text out.
export type { CaseReport, ReportItem, ReportKey, DkimRow } from './types.js';
export { renderJson } from './json.js';
export { renderCsv } from './csv.js';
export { renderMarkdown } from './markdown.js';
export { renderHtml } from './html.js';
export { renderShow, renderSummaryTable, renderSignatureCoverage } from './terminal.js';
