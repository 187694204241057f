// Report stage: makes untrusted text (messages, source lines, subjects) safe to print as one line of a report.

// A break and the blanks after it. The blanks before it are trimmed apart: a leading `[ \t]*` in this
// pattern was retried from every blank of a long run that no break ends, quadratic time (5 s for a
// 100,000-tab subject).
const LINE_BREAK = /(?:\r\n|[\n\r\v\f\u0085\u2028\u2029])\s*/;
// C0 controls except tab, DEL, C1 controls, and the bidirectional overrides and isolates that
// "Trojan Source" patches use to make code read differently from what the compiler sees.
const INVISIBLE = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Folds line breaks (and the blanks around them) into one space and shows other control and bidi characters
 * as `^X` / `<U+XXXX>`, so a patch cannot start a fake record in line-oriented output or restyle a terminal.
 */
export function oneLine(text: string): string {
  const pieces = text.split(LINE_BREAK);
  const joined = pieces.length === 1 ? text : pieces.map((piece, i) => (i < pieces.length - 1 ? trimBlanksEnd(piece) : piece)).join(' ');
  return joined.replace(INVISIBLE, visible);
}

/** Drops trailing spaces and tabs, in linear time (a `[ \t]+$` pattern is quadratic on a long inner run). */
function trimBlanksEnd(text: string): string {
  let end = text.length;
  while (end > 0 && (text.charCodeAt(end - 1) === 0x20 || text.charCodeAt(end - 1) === 0x09)) end--;
  return text.slice(0, end);
}

function visible(ch: string): string {
  const code = ch.charCodeAt(0);
  // Caret notation for C0 and DEL, as `cat -v` and checkpatch's own cat_vet() print them.
  if (code < 0x20) return `^${String.fromCharCode(code + 64)}`;
  if (code === 0x7f) return '^?';
  return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
}
