// Citations stage: strip the wrapping the document arrived in (blob view, web view, mail diff, flattened text) and keep each line's own number.

/** How the document text was wrapped when it reached us. */
export type Wrapping =
  | 'plain' // the file itself
  | 'numbered' // a blob view: every line prefixed with its line number (blank lines may be missing)
  | 'web-pipe' // a web view: every line prefixed with "| ", separated by " | |" lines
  | 'diff' // a patch (usually a mail) that changes the document: only the post-image of its hunks is known
  | 'flattened'; // markup stripped: no heading underlines, blank and one-word lines gone

/** One line of the document as the document numbers it. */
export interface DocLine {
  text: string;
  /** 1-based line number in the document itself (what a permalink points at). */
  line: number;
  /** 1-based line number in the text we were given. */
  inputLine: number;
}

export interface UnwrappedDoc {
  wrapping: Wrapping;
  /** Known lines in document order; lines the wrapping lost are absent (the numbers skip). */
  lines: DocLine[];
  /** False when the wrapping lost lines we could not place (flattened text, a diff missing context lines). */
  exactLineNumbers: boolean;
  /** True when only parts of the document are present (the hunks of a diff). */
  partial: boolean;
  /** For a diff: the post-image path of the document in it. */
  diffPath?: string;
}

const UNDERLINE = /^([=\-~^"'`#*+])\1{2,}\s*$/;

/** A reST / .txt heading underline (or overline): one punctuation character repeated. */
export function isUnderline(text: string): boolean {
  return UNDERLINE.test(text);
}

/**
 * Detects the wrapping of `raw` and returns the document's own lines with their numbers.
 * `knownHeadings` (normalized titles) lets a flattened text be recognized.
 */
export function unwrapDocument(raw: string, knownHeadings: ReadonlySet<string>): UnwrappedDoc {
  // Web views turn tabs and spaces into non-breaking spaces; the document never had any.
  const input = raw.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').replace(/\u00a0/g, ' ').split('\n');
  if (input.length > 0 && input[input.length - 1] === '') input.pop();
  return (
    fromDiff(input) ??
    fromNumbered(input) ??
    fromWebPipe(input) ??
    fromFlattened(input, knownHeadings) ?? {
      wrapping: 'plain',
      lines: input.map((text, i) => ({ text, line: i + 1, inputLine: i + 1 })),
      exactLineNumbers: true,
      partial: false,
    }
  );
}

// ---------------------------------------------------------------- blob view with line numbers

function fromNumbered(input: string[]): UnwrappedDoc | undefined {
  const numbered = /^\s*(\d+)(?:[ \t](.*))?$/;
  const lines: DocLine[] = [];
  let last = 0;
  let nonEmpty = 0;
  let firstHit = -1;
  input.forEach((raw, i) => {
    if (firstHit >= 0 && raw.trim() !== '') nonEmpty++;
    const m = numbered.exec(raw);
    if (!m) return;
    const n = Number(m[1]);
    if (n <= last) return;
    if (firstHit < 0) {
      firstHit = i;
      nonEmpty = 1;
    }
    last = n;
    lines.push({ text: m[2] ?? '', line: n, inputLine: i + 1 });
  });
  // A plain document has the odd line starting with a number ("1518 byte packets"); a blob
  // view has almost nothing else once its header is behind.
  if (lines.length < 5 || lines.length < 0.8 * nonEmpty) return undefined;
  return { wrapping: 'numbered', lines, exactLineNumbers: true, partial: false };
}

// ---------------------------------------------------------------- web view with "| " prefixes

function fromWebPipe(input: string[]): UnwrappedDoc | undefined {
  const content = /^\|(?: (.*))?$/;
  const separator = /^\s+\|(?:\s*\|)?\s*$/;
  const hits = input.filter((l) => content.test(l)).length;
  if (hits < 5 || hits < 0.3 * input.length) return undefined;
  // Some views also close every line with " |"; strip it only when that is the rule, not the exception.
  const closed = input.filter((l) => content.test(l) && /\s\|$/.test(l)).length > 0.8 * hits;
  const lines: DocLine[] = [];
  input.forEach((raw, i) => {
    if (separator.test(raw)) return;
    const m = content.exec(raw);
    if (!m) return;
    let text = m[1] ?? '';
    if (closed) text = text.replace(/\s*\|$/, '').replace(/\s+$/, '');
    lines.push({ text, line: lines.length + 1, inputLine: i + 1 });
  });
  return { wrapping: 'web-pipe', lines, exactLineNumbers: true, partial: false };
}

// ---------------------------------------------------------------- flattened text

function fromFlattened(input: string[], knownHeadings: ReadonlySet<string>): UnwrappedDoc | undefined {
  if (input.some((l) => isUnderline(l))) return undefined;
  if (!input.some((l) => knownHeadings.has(normalizeTitle(l)))) return undefined;
  // A gitiles blob view opens with "blob: <sha> [file] [log] [blame]"; it is not document text.
  const skip = input.length > 0 && /^blob:\s*[0-9a-f]{7,40}\b/.test(input[0] ?? '') ? 1 : 0;
  const lines = input.slice(skip).map((text, i) => ({ text, line: i + 1, inputLine: i + 1 + skip }));
  return { wrapping: 'flattened', lines, exactLineNumbers: false, partial: false };
}

/** Lower-case, single-spaced, trimmed: how titles are compared across versions and wrappings. */
export function normalizeTitle(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}

// ---------------------------------------------------------------- a patch to the document

interface HunkLine {
  kind: 'ctx' | 'add' | 'del';
  text: string;
  inputLine?: number;
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
const DOC_PATH = /(?:^|\/)Documentation\/networking\/netdevices\.(?:rst|txt)$/;

function fromDiff(input: string[]): UnwrappedDoc | undefined {
  if (!input.some((l) => HUNK_HEADER.test(l))) return undefined;
  const files = splitFiles(input);
  const chosen = files.find((f) => f.path !== undefined && DOC_PATH.test(f.path)) ?? (files.length === 1 ? files[0] : undefined);
  if (!chosen) return undefined;
  const lines: DocLine[] = [];
  let exact = true;
  let whole = false;
  for (const hunk of parseHunks(input, chosen.from, chosen.to)) {
    const placed = restoreDroppedContext(hunk.body, hunk.oldCount, hunk.newCount);
    if (!placed.exact) exact = false;
    if (hunk.oldStart === 0 && hunk.oldCount === 0 && hunk.newStart === 1) whole = true;
    let n = hunk.newStart;
    for (const l of placed.body) {
      if (l.kind === 'del') continue;
      lines.push({ text: l.text, line: n, inputLine: l.inputLine ?? 0 });
      n++;
    }
  }
  if (lines.length === 0) return undefined;
  lines.sort((a, b) => a.line - b.line);
  return { wrapping: 'diff', lines, exactLineNumbers: exact, partial: !whole, diffPath: chosen.path };
}

interface FileSpan {
  path?: string;
  /** Index of the first line after the file header, and one past the last line of the span. */
  from: number;
  to: number;
}

/** Splits a patch into per-file spans by its `--- a/x` + `+++ b/x` headers (a bare hunk list is one span). */
function splitFiles(input: string[]): FileSpan[] {
  const starts: { at: number; path?: string }[] = [];
  for (let i = 0; i + 1 < input.length; i++) {
    const a = input[i] ?? '';
    const b = input[i + 1] ?? '';
    if (a.startsWith('--- ') && b.startsWith('+++ ')) {
      const path = b.slice(4).trim().split('\t')[0]?.replace(/^b\//, '');
      starts.push({ at: i + 2, path });
      i++;
    }
  }
  if (starts.length === 0) return [{ from: 0, to: input.length }];
  return starts.map((s, k) => ({ path: s.path, from: s.at, to: k + 1 < starts.length ? (starts[k + 1]?.at ?? input.length) - 2 : input.length }));
}

interface Hunk {
  oldStart: number;
  oldCount: number;
  newStart: number;
  newCount: number;
  body: HunkLine[];
}

function parseHunks(input: string[], from: number, to: number): Hunk[] {
  const hunks: Hunk[] = [];
  let i = from;
  while (i < to) {
    const m = HUNK_HEADER.exec(input[i] ?? '');
    if (!m) {
      i++;
      continue;
    }
    const hunk: Hunk = {
      oldStart: Number(m[1]),
      oldCount: m[2] === undefined ? 1 : Number(m[2]),
      newStart: Number(m[3]),
      newCount: m[4] === undefined ? 1 : Number(m[4]),
      body: [],
    };
    let oldSeen = 0;
    let newSeen = 0;
    i++;
    for (; i < to; i++) {
      if (oldSeen >= hunk.oldCount && newSeen >= hunk.newCount) break;
      const raw = input[i] ?? '';
      if (HUNK_HEADER.test(raw) || raw.startsWith('diff --git ') || raw === '-- ') break;
      if (raw.startsWith('\\')) continue; // "\ No newline at end of file"
      const inputLine = i + 1;
      if (raw.startsWith('+')) {
        hunk.body.push({ kind: 'add', text: raw.slice(1), inputLine });
        newSeen++;
      } else if (raw.startsWith('-')) {
        hunk.body.push({ kind: 'del', text: raw.slice(1), inputLine });
        oldSeen++;
      } else {
        // Mail archives and mail clients eat the leading space of context lines; a context
        // line is whatever is neither added nor removed.
        hunk.body.push({ kind: 'ctx', text: raw.startsWith(' ') ? raw.slice(1) : raw, inputLine });
        oldSeen++;
        newSeen++;
      }
    }
    hunks.push(hunk);
  }
  return hunks;
}

/**
 * Web renderings of a mail drop blank context lines; the hunk header still counts them. Puts
 * them back where a real diff must have had them: between an added line and a following
 * removed one (git never emits `+` then `-` without context between), then before a heading
 * that follows text directly, then before an added paragraph that ends in its own blank line.
 * Reports whether every missing line found a place.
 */
function restoreDroppedContext(body: HunkLine[], oldCount: number, newCount: number): { body: HunkLine[]; exact: boolean } {
  const oldSeen = body.filter((l) => l.kind !== 'add').length;
  const newSeen = body.filter((l) => l.kind !== 'del').length;
  const missing = Math.min(oldCount - oldSeen, newCount - newSeen);
  if (oldCount - oldSeen !== newCount - newSeen) return { body, exact: oldSeen === oldCount && newSeen === newCount };
  if (missing <= 0) return { body, exact: true };

  const before = new Set<number>();
  for (let k = 0; k + 1 < body.length && before.size < missing; k++) {
    if (body[k]?.kind === 'add' && body[k + 1]?.kind === 'del') before.add(k + 1);
  }
  const post = body.map((l, k) => ({ l, k })).filter(({ l }) => l.kind !== 'del');
  for (let p = 1; p + 1 < post.length && before.size < missing; p++) {
    const prev = post[p - 1];
    const cur = post[p];
    const next = post[p + 1];
    if (!prev || !cur || !next) continue;
    const isHeading = cur.l.text.trim() !== '' && !/^\s/.test(cur.l.text) && !isUnderline(cur.l.text) && isUnderline(next.l.text);
    if (isHeading && prev.l.text.trim() !== '' && !isUnderline(prev.l.text)) before.add(cur.k);
  }
  // An added paragraph that carries its own trailing blank line, glued to the text before
  // it: the separating blank line was context, on the near side.
  for (let k = 1; k < body.length && before.size < missing; k++) {
    const prev = body[k - 1];
    const cur = body[k];
    if (!prev || !cur || prev.kind !== 'ctx' || prev.text.trim() === '' || cur.kind !== 'add' || cur.text.trim() === '') continue;
    let last = k;
    while (body[last + 1]?.kind === 'add') last++;
    if (body[last]?.text.trim() === '') before.add(k);
  }
  const out: HunkLine[] = [];
  body.forEach((l, k) => {
    if (before.has(k)) out.push({ kind: 'ctx', text: '' });
    out.push(l);
  });
  return { body: out, exact: before.size === missing };
}
