// doc.editor-outlier: who and what wrote the file does not fit the organisation's own files.
import type { Finding, Json } from '../../model.js';
import { softwareClaims } from './app-versions.js';
import { baselineDocs, codepagesOf, editorNames, reviewerNames, isHomogeneous, languagesOf, normaliseName, scriptsOf, usualValues } from './baseline.js';
import { parseDocDate } from './dates.js';
import { addFinding, byId, metaString, severityFor, type DocumentCheck, type DocumentFacts } from './facts.js';

/** Distinct verified authors needed before "never seen" means anything. */
const MIN_VERIFIED_NAMES = 3;
/** Early adopters of betas and wrong clocks by a few weeks are not anachronisms. */
const RELEASE_MARGIN_MS = 60 * 86_400_000;

export const editorOutlier: DocumentCheck = {
  meta: {
    id: 'doc.editor-outlier',
    title: 'Author, language or software unlike the organisation\'s files',
    description:
      'Compared with the dump\'s own baseline (verified files when there are at least three, else the majority of files): an author, last editor, tracked-change or comment author written in another script than the organisation\'s names (e.g. Cyrillic "Рошка Георгий Петрович" in a French organisation, the 2017 MacronLeaks tell), Word language tags (w:lang) of a language none of its files use, a legacy Office or RTF file saved in a Windows codepage none of its files use (1251 Cyrillic among 1252 Western European files), software that did not exist yet at the file\'s date (Office AppVersion 16 on a file dated 2013), or — on a file that claims the organisation\'s company — an author never seen on verified files. Innocent explanations: a new employee, a foreign partner or translator, a computer installed in another language, a wrong clock, a file re-saved with its old dates kept. Without verified files, the language, codepage and script tests run only when at least 80 % of the files share the usual values (a heterogeneous collection has no baseline). A name never seen on a file that does not claim the organisation\'s company is only a note.',
    severity: 'warning',
  },
  run(docs) {
    const out = new Map<number, Finding[]>();
    const named = baselineDocs(docs, (d) => editorNames(d).length > 0);
    const verifiedNames = new Set(docs.filter((d) => d.verified).flatMap((d) => editorNames(d).map((e) => normaliseName(e.name))));
    const nameScripts = (d: DocumentFacts): string[] => editorNames(d).flatMap((e) => scriptsOf(e.name));
    const scripts = usualValues(named, nameScripts, 0.1);
    const scriptsKnown = isHomogeneous(named, nameScripts, scripts);
    const langBase = baselineDocs(docs, (d) => languagesOf(d).length > 0);
    const langs = usualValues(langBase, languagesOf);
    const langsKnown = isHomogeneous(langBase, languagesOf, langs);
    const cpBase = baselineDocs(docs, (d) => codepagesOf(d).length > 0);
    const codepages = usualValues(cpBase, codepagesOf);
    const codepagesKnown = isHomogeneous(cpBase, codepagesOf, codepages);
    const companyBase = baselineDocs(docs, (d) => !!metaString(d, 'company'));
    const companies = usualValues(companyBase, (d) => [normaliseName(metaString(d, 'company') ?? '')], 0.5);

    for (const doc of byId(docs)) {
      if (doc.verified) continue; // verified files are the baseline
      const reasons: { what: string; detail: { [k: string]: Json }; strong: boolean }[] = [];
      for (const e of editorNames(doc)) {
        const foreign = scriptsKnown ? scriptsOf(e.name).filter((s) => !scripts.has(s)) : [];
        if (foreign.length) {
          reasons.push({ what: `${e.field} "${e.name}" is written in ${foreign.join('/')} script; the organisation's names are ${[...scripts].sort().join('/')}`, detail: { field: e.field, name: e.name, script: foreign.join('/') }, strong: true });
        } else if (verifiedNames.size >= MIN_VERIFIED_NAMES && !verifiedNames.has(normaliseName(e.name))) {
          const company = metaString(doc, 'company');
          const claimsOrg = !!company && companies.has(normaliseName(company));
          reasons.push({
            what: `${e.field} "${e.name}" never appears on a verified file${claimsOrg ? ` although the file claims the company "${company}"` : ''}`,
            detail: { field: e.field, name: e.name, ...(company ? { company } : {}) },
            strong: claimsOrg,
          });
        }
      }
      // Reviewers are judged on script only: outside reviewers (partners, lawyers) are normal.
      const editors = new Set(editorNames(doc).map((e) => e.name));
      for (const r of reviewerNames(doc)) {
        const foreign = scriptsKnown && !editors.has(r.name) ? scriptsOf(r.name).filter((s) => !scripts.has(s)) : [];
        if (foreign.length) reasons.push({ what: `${r.field} "${r.name}" is written in ${foreign.join('/')} script; the organisation's names are ${[...scripts].sort().join('/')}`, detail: { field: r.field, name: r.name, script: foreign.join('/') }, strong: true });
      }
      if (langsKnown) {
        const foreign = languagesOf(doc).filter((l) => !langs.has(l));
        if (foreign.length) reasons.push({ what: `language tags ${foreign.join(', ')} are not used in the organisation's files (${[...langs].sort().join(', ')})`, detail: { languages: foreign, usual: [...langs].sort() }, strong: true });
      }
      if (codepagesKnown) {
        const foreign = codepagesOf(doc).filter((c) => !codepages.has(c));
        const cp = doc.metadata['codepage'];
        if (foreign.length) reasons.push({ what: `saved in codepage ${String(cp)} (${foreign.join(', ')}), a locale none of the organisation's files use (${[...codepages].sort().join(', ')})`, detail: { codepage: typeof cp === 'number' ? cp : null, locale: foreign.join(', '), usual: [...codepages].sort() }, strong: true });
      }
      reasons.push(...anachronisms(doc));
      if (!reasons.length) continue;
      const strong = reasons.filter((r) => r.strong);
      addFinding(out, doc.itemId, {
        check: 'doc.editor-outlier',
        severity: severityFor(doc, strong.length ? 'warning' : 'info'),
        message: (strong.length ? strong : reasons).map((r) => r.what).join('; '),
        evidence: { baseline: named.fromVerified ? 'verified files' : 'all files (majority)', outliers: reasons.map((r) => r.detail) },
      });
    }
    return out;
  },
};

function anachronisms(doc: DocumentFacts): { what: string; detail: { [k: string]: Json }; strong: boolean }[] {
  const dateValue = metaString(doc, 'modified') ?? metaString(doc, 'created');
  const when = dateValue ? parseDocDate(dateValue) : undefined;
  if (!when || !dateValue) return [];
  const claims = softwareClaims({
    application: metaString(doc, 'application'),
    appVersion: metaString(doc, 'appVersion'),
    producer: metaString(doc, 'producer'),
    creatorTool: metaString(doc, 'creatorTool'),
  });
  return claims
    .filter((c) => when.ms < Date.parse(`${c.since}T00:00:00Z`) - RELEASE_MARGIN_MS)
    .map((c) => ({
      what: `${c.field} "${c.value}" (${c.software}, first released ${c.since}) on a file dated ${dateValue}`,
      detail: { field: c.field, value: c.value, software: c.software, firstRelease: c.since, fileDate: dateValue },
      strong: true,
    }));
}
