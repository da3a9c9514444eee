// `npm run docs`: rewrites the check list in docs/verdicts.md from the check modules' meta, so the
// documentation cannot drift from the code (test/docs.test.ts fails when it does).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { checksMarkdown } from '../src/checks/catalog.js';

export const START = '<!-- checks -->';
export const END = '<!-- /checks -->';

export function withCheckList(doc: string): string {
  const start = doc.indexOf(START);
  if (start < 0) throw new Error(`docs/verdicts.md has no ${START} marker`);
  const end = doc.indexOf(END, start);
  const tail = end < 0 ? '' : doc.slice(end + END.length);
  return `${doc.slice(0, start)}${START}\n\n${checksMarkdown()}\n${END}${tail || '\n'}`;
}

const here = dirname(fileURLToPath(import.meta.url));
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // Runs from dist/scripts when built, from scripts/ with tsx.
  const docPath = [join(here, '..', 'docs', 'verdicts.md'), join(here, '..', '..', 'docs', 'verdicts.md')].find((p) => {
    try {
      readFileSync(p);
      return true;
    } catch {
      return false;
    }
  });
  if (!docPath) throw new Error('docs/verdicts.md not found next to scripts/');
  writeFileSync(docPath, withCheckList(readFileSync(docPath, 'utf8')));
  console.log(`check list written to ${docPath}`);
}
