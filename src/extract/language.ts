// A deliberately simple language guesser: counts very common function words per language over the
// first words of the text. Good enough to tell fr/en/de/es/ru… apart on prose; not on short snippets,
// mixed-language text or languages not listed (it then returns undefined).
const STOPWORDS: { [lang: string]: string[] } = {
  en: ['the', 'and', 'of', 'to', 'in', 'is', 'that', 'for', 'it', 'with', 'as', 'was', 'on', 'be', 'this', 'are', 'by', 'not', 'or', 'have', 'from', 'which', 'you', 'at'],
  fr: ['le', 'la', 'les', 'de', 'des', 'et', 'est', 'un', 'une', 'du', 'que', 'qui', 'dans', 'pour', 'pas', 'sur', 'au', 'avec', 'il', 'ce', 'sont', 'par', 'nous', 'vous'],
  de: ['der', 'die', 'und', 'das', 'ist', 'nicht', 'den', 'von', 'zu', 'mit', 'sich', 'des', 'auf', 'für', 'ein', 'eine', 'dem', 'auch', 'es', 'wir', 'sie', 'im', 'oder', 'wird'],
  es: ['el', 'la', 'los', 'las', 'de', 'que', 'y', 'en', 'un', 'una', 'es', 'por', 'con', 'no', 'para', 'del', 'se', 'al', 'lo', 'como', 'más', 'su', 'pero', 'sus'],
  it: ['il', 'di', 'che', 'e', 'la', 'per', 'un', 'una', 'non', 'sono', 'del', 'della', 'con', 'gli', 'le', 'si', 'nel', 'alla', 'anche', 'come', 'più', 'ma', 'questo', 'è'],
  pt: ['o', 'a', 'os', 'as', 'de', 'que', 'e', 'do', 'da', 'em', 'um', 'uma', 'para', 'com', 'não', 'por', 'mais', 'dos', 'das', 'se', 'na', 'no', 'ao', 'é'],
  nl: ['de', 'het', 'een', 'en', 'van', 'is', 'dat', 'niet', 'op', 'te', 'zijn', 'met', 'voor', 'die', 'ook', 'als', 'maar', 'aan', 'bij', 'er', 'om', 'dan', 'wordt', 'ik'],
  ru: ['и', 'в', 'не', 'на', 'что', 'с', 'по', 'как', 'это', 'к', 'но', 'из', 'у', 'за', 'от', 'о', 'так', 'для', 'же', 'все', 'он', 'она', 'было', 'быть'],
  uk: ['і', 'в', 'не', 'на', 'що', 'з', 'та', 'як', 'це', 'до', 'але', 'із', 'у', 'за', 'від', 'про', 'так', 'для', 'же', 'всі', 'він', 'вона', 'було', 'бути'],
  pl: ['i', 'w', 'nie', 'na', 'że', 'się', 'z', 'do', 'to', 'jest', 'o', 'jak', 'ale', 'po', 'co', 'tak', 'za', 'od', 'przez', 'dla', 'czy', 'jego', 'są', 'był'],
};

const SETS = Object.entries(STOPWORDS).map(([lang, words]) => [lang, new Set(words)] as const);
const MAX_WORDS = 20_000;
const MIN_WORDS = 12;

/** ISO 639-1 code of the most likely language, or undefined when the text is too short or unclear. */
export function detectLanguage(text: string): string | undefined {
  const words = text.toLowerCase().match(/\p{L}+/gu)?.slice(0, MAX_WORDS) ?? [];
  if (words.length < MIN_WORDS) return undefined;
  let best: string | undefined;
  let bestScore = 0;
  let second = 0;
  for (const [lang, set] of SETS) {
    let score = 0;
    for (const w of words) if (set.has(w)) score++;
    if (score > bestScore) {
      second = bestScore;
      bestScore = score;
      best = lang;
    } else if (score > second) second = score;
  }
  // Demand a clear winner and a minimum share of function words, else say nothing.
  if (bestScore < Math.max(3, words.length * 0.05) || bestScore < second * 1.2) return undefined;
  return best;
}
