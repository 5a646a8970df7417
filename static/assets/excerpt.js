// Search result excerpts that start at a sentence.
//
// Pagefind's own excerpt is a window of words around the best match, so it
// usually starts in the middle of a sentence ("…posts Ödeshög pays for, but
// not how"). This one starts where the sentence holding the first matched word
// starts, and runs for about `length` words (further if the match lies deeper
// in a long sentence), with "…" where it is cut off at the end.
//
// Use it with a result's data: sentenceExcerpt(data.content, data.locations, 24).
// It returns the excerpt the way Pagefind writes one: text with the matched
// words in <mark>, everything else escaped; an empty string when there is no
// match to start from (then fall back to Pagefind's data.excerpt).

const SENTENCE_END = /[.!?…:]["”’»)]*$/;

export function sentenceExcerpt(content, locations, length = 30) {
  const words = String(content || "").split(/\s+/).filter((word) => word !== "");
  const hits = (locations || []).filter((at) => at >= 0 && at < words.length);
  if (words.length === 0 || hits.length === 0) {
    return "";
  }
  const first = Math.min(...hits);
  let start = first;
  while (start > 0 && !SENTENCE_END.test(words[start - 1])) {
    start -= 1;
  }
  const end = Math.min(words.length, Math.max(start + length, first + Math.ceil(length / 3)));
  const marked = new Set(hits);
  const parts = [];
  for (let at = start; at < end; at += 1) {
    const word = escapeHtml(words[at]);
    parts.push(marked.has(at) ? `<mark>${word}</mark>` : word);
  }
  return parts.join(" ") + (end < words.length ? " …" : "");
}

function escapeHtml(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
