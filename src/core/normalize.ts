/**
 * Text normalisation shared by lookup and the content checks: one canonical form per name, so that
 * "Control-Plane", "control plane" and "control planes" meet, and "controlplane" meets them through the
 * joined form.
 */

/** Longest query the lookup looks at; longer input is cut at a word boundary. */
export const MAX_QUERY_CHARS = 120;

const NON_WORD = /[^\p{L}\p{N}]+/gu;
const QUOTES = /[\u2018\u2019\u201A\u201B\u2032\u0060\u00B4]/g;

/** Folds case and width, and turns every run of punctuation or space into one space. */
export function normalizeName(text: string): string {
  return text.normalize("NFKC").replace(QUOTES, "'").toLowerCase().replace(NON_WORD, " ").trim();
}

/** Singular form of one lower-case word, by the few English rules glossary terms need. */
export function singularize(word: string): string {
  const n = word.length;
  if (n <= 3) return word;
  if (word.endsWith("ies") && n > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith("sses")) return word.slice(0, -2);
  if (/(?:x|ch|sh|zz)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith("s") && !/(?:ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

/** A light stem: "balancer", "balancing" and "balanced" all become "balanc". Used only as a second tier. */
export function stem(word: string): string {
  const w = singularize(word);
  if (w.length <= 5) return w;
  for (const suffix of ["ing", "ers", "er", "ed", "e"]) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 4) return w.slice(0, -suffix.length);
  }
  return w;
}

/** Canonical key: normalised, each word singular. */
export function canonicalKey(text: string): string {
  const normal = normalizeName(text);
  if (normal === "") return "";
  return normal.split(" ").map(singularize).join(" ");
}

/** The canonical key with its spaces removed ("control plane" → "controlplane"). */
export function joinedKey(canonical: string): string {
  return canonical.replaceAll(" ", "");
}

/** The canonical key with each word stemmed. */
export function stemmedKey(canonical: string): string {
  return canonical === "" ? "" : canonical.split(" ").map(stem).join(" ");
}

/** Cuts text to at most `max` characters, at the last space before the limit when there is one. */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return space > max / 2 ? cut.slice(0, space) : cut;
}

// Question framings people wrap around a term. Applied repeatedly until nothing changes. They see
// normalised text, where apostrophes are spaces: "what's" arrives as "what s", "don't" as "don t".
const LEADING_FRAMES: readonly RegExp[] = [
  /^(?:hey|hi|hello|yo|ok|okay|so|um+|uh+)\b[\s,]*/,
  /^(?:please|pls|plz)\s+/,
  /^(?:can|could|would|will)\s+(?:you|someone|somebody|anyone)\s+(?:please\s+)?/,
  /^(?:(?:i\s+)?(?:don\s?t|do\s+not)\s+know\s+|i\s+wonder\s+|wondering\s+)/,
  /^(?:tell|remind|show)\s+(?:me|us)\s+(?:about\s+|what\s+)?/,
  /^(?:explain|define|describe|clarify|elaborate\s+on|eli5|tldr|tl\s*dr)\b[\s:,-]*(?:(?:to\s+)?(?:me|us)\s+)?(?:what\s+)?/,
  /^(?:meaning|definition|explanation)\s+of\s+/,
  /^what\s+about\s+/,
  /^(?:wtf|wth|what\s+the\s+heck|what\s+the\s+hell)\s+(?:is|are|does|do)\s+/,
  /^(?:what|who|whats|wat)(?:\s+s|\s+is|\s+are|\s+was|\s+were|\s+does|\s+do|\s+did)?\s+/,
  /^(?:how\s+does|how\s+do)\s+/,
  /^(?:is|are)\s+(?:there\s+)?/,
  /^(?:the|a|an|some|this|that|these|those|our|my|your)\s+/,
  /^(?:term|word|acronym|abbreviation|phrase|concept|thing|thingy)\s+/,
];

const TRAILING_FRAMES: readonly RegExp[] = [
  /\s+(?:please|pls|plz|again|exactly|actually|anyway|even|here|thanks|thx|ty)$/,
  /\s+(?:mean|means|meant|stand\s+for|stands\s+for|do|does|work|works|refer\s+to|refers\s+to)$/,
  /\s+(?:in|for|with|on|within|inside)\s+(?:a\s+|the\s+)?(?:service\s+mesh|mesh|linkerd|kubernetes|k8s|istio|this\s+context|context)$/,
  /\s+(?:is|are)$/,
];

/**
 * Strips question framing: "what does ESB mean?" → "esb", "explain the control plane" → "control plane".
 * Input and output are normalised (see normalizeName).
 */
export function stripQuestion(normal: string): string {
  let current = normal;
  for (let guard = 0; guard < 12; guard++) {
    let next = current;
    for (const frame of LEADING_FRAMES) next = next.replace(frame, "");
    for (const frame of TRAILING_FRAMES) next = next.replace(frame, "");
    next = next.trim();
    if (next === current || next === "") break;
    current = next;
  }
  return current;
}

const QUALIFIERS = /^(?:service\s+mesh|mesh|linkerd\s+s|linkerd|linkerd2|kubernetes|k8s)\s+(?=\S)/;

/** Removes a context qualifier in front of a term: "service mesh control plane" → "control plane". */
export function stripQualifier(normal: string): string {
  return normal.replace(QUALIFIERS, "");
}

/**
 * Optimal-string-alignment distance (edits, with adjacent transpositions counting as one), giving up and
 * returning `max + 1` as soon as the distance must exceed `max`.
 */
export function boundedEditDistance(a: string, b: string, max: number): number {
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  if (la === 0 || lb === 0) return Math.max(la, lb) <= max ? Math.max(la, lb) : max + 1;
  if (rows.length < 3 * (lb + 1)) rows = new Uint16Array(3 * (lb + 1) * 2);
  // Three rows in one buffer, rotated by offset: two back (for transpositions), previous, current.
  const w = lb + 1;
  let pp = 0;
  let p = w;
  let c = 2 * w;
  for (let j = 0; j <= lb; j++) rows[p + j] = j;
  for (let i = 1; i <= la; i++) {
    rows[c] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    const caPrev = i > 1 ? a.charCodeAt(i - 2) : -1;
    for (let j = 1; j <= lb; j++) {
      const cb = b.charCodeAt(j - 1);
      let v = (rows[p + j - 1] as number) + (ca === cb ? 0 : 1);
      const del = (rows[p + j] as number) + 1;
      if (del < v) v = del;
      const ins = (rows[c + j - 1] as number) + 1;
      if (ins < v) v = ins;
      if (j > 1 && ca === b.charCodeAt(j - 2) && caPrev === cb) {
        const tr = (rows[pp + j - 2] as number) + 1;
        if (tr < v) v = tr;
      }
      rows[c + j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const t = pp;
    pp = p;
    p = c;
    c = t;
  }
  const d = rows[p + lb] as number;
  return d <= max ? d : max + 1;
}

let rows = new Uint16Array(3 * 64);
