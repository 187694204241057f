// Fuzz generators: unified diffs — well-formed ones with the model they must parse to, and mangled ones.

import fc from 'fast-check';
import { hostileText } from './text-arbitraries.js';

/** One line of a generated hunk. */
export interface GenLine {
  kind: 'ctx' | 'add' | 'del';
  text: string;
  /** Post-image line number (ctx, add), pre-image line number (ctx, del). */
  newLine?: number;
  oldLine?: number;
}

export interface GenHunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  section: string;
  lines: GenLine[];
  /** `\ No newline at end of file` follows the last line. */
  noNewline: boolean;
}

export type GenStatus = 'modified' | 'added' | 'deleted' | 'renamed';

export interface GenFile {
  status: GenStatus;
  /** Paths as the model must report them (no `a/`, `b/`). */
  oldPath?: string;
  newPath?: string;
  /** `diff --git` headers, or a plain `diff -u` / quilt file. */
  git: boolean;
  hunks: GenHunk[];
}

/** A generated diff: its text (LF, ending in a newline) and what it holds. */
export interface GenDiff {
  text: string;
  files: GenFile[];
}

const C_LINES = [
  '',
  '\tstruct net_device *dev;',
  '\tfree_netdev(dev);',
  '\tkfree(priv);',
  '\treturn NETDEV_TX_OK;',
  '}',
  '{',
  'static int acme_open(struct net_device *dev)',
  '\tif (err)',
  '\t\tgoto out_free;',
  '/* comment */',
  ' * continued comment',
  '#include <linux/netdevice.h>',
  '\tspin_lock_irqsave(&priv->lock, flags);',
  '  two spaces',
  '\t',
  ' ',
  '+',
  '-',
  '+++ b/not-a-header.c',
  '--- a/not-a-header.c',
  '@@ -1 +1 @@ not a header',
  'diff --git a/x b/x',
  '\\',
  'From 1234567 Mon Sep 17 00:00:00 2001',
  '2.43.0',
];

/** Text of a hunk line (after its prefix): C-ish, or any printable text without line breaks. */
const lineText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...C_LINES), weight: 3 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 80 }), weight: 1 },
).filter((text) => !/[\r\n\u2028\u2029\u0085]/.test(text));

const segment = fc.stringMatching(/^[a-z0-9_][a-z0-9_.-]{0,11}$/).filter((s) => !s.endsWith('.') && s !== '..');
const pathArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('drivers/net/ethernet/acme', 'net/core', 'include/linux', 'drivers/net/wireless/x', ''),
    fc.array(segment, { maxLength: 2 }),
    segment,
    fc.constantFrom('.c', '.h', '', '.txt', '.yaml'),
  )
  .map(([top, mid, name, ext]) => [top, ...mid, `${name}${ext}`].filter((s) => s !== '').join('/'));

const hunkBody = (kinds: fc.Arbitrary<GenLine['kind']>) =>
  fc
    .array(fc.record({ kind: kinds, text: lineText }), { minLength: 1, maxLength: 12 })
    // `-- ` (or `--`) as a removed line is indistinguishable from a mail signature; no well-formed diff relies on it.
    .map((lines) => lines.filter((l) => !(l.kind === 'del' && /^-\s*$/.test(l.text))))
    .filter((lines) => lines.length > 0);

const anyKind = fc.constantFrom<GenLine['kind']>('ctx', 'ctx', 'add', 'del');

/** Places hunk bodies in a file the way git does: increasing, non-overlapping, numbers counted from the bodies. */
function placeHunks(bodies: { lines: GenLine[]; gap: number; section: string }[], noNewline: boolean): GenHunk[] {
  let oldNext = 1;
  let newNext = 1;
  return bodies.map((body, i) => {
    oldNext += body.gap;
    newNext += body.gap;
    const oldLines = body.lines.filter((l) => l.kind !== 'add').length;
    const newLines = body.lines.filter((l) => l.kind !== 'del').length;
    // git names the line before an empty side (`-4,0` inserts after line 4).
    const oldStart = oldLines === 0 ? oldNext - 1 : oldNext;
    const newStart = newLines === 0 ? newNext - 1 : newNext;
    const lines = body.lines.map((l) => {
      const out: GenLine = { kind: l.kind, text: l.text };
      if (l.kind !== 'add') out.oldLine = oldNext++;
      if (l.kind !== 'del') out.newLine = newNext++;
      return out;
    });
    return { oldStart, oldLines, newStart, newLines, section: body.section, lines, noNewline: noNewline && i === bodies.length - 1 };
  });
}

const section = fc.oneof(fc.constant(''), fc.constantFrom('static int acme_probe(struct pci_dev *pdev)', 'struct acme {'));

const modifiedFile = fc
  .record({
    path: pathArb,
    renamedTo: fc.option(pathArb, { freq: 4 }),
    git: fc.boolean(),
    bodies: fc.array(fc.record({ lines: hunkBody(anyKind), gap: fc.nat({ max: 30 }), section }), { minLength: 1, maxLength: 4 }),
    noNewline: fc.boolean(),
  })
  .map(({ path, renamedTo, git, bodies, noNewline }): GenFile => {
    // Later hunks need a gap of at least one line, or git would have merged them.
    const spaced = bodies.map((b, i) => ({ ...b, gap: i === 0 ? b.gap : b.gap + 1 }));
    const renamed = git && renamedTo !== null && renamedTo !== path;
    return {
      status: renamed ? 'renamed' : 'modified',
      oldPath: path,
      newPath: renamed ? renamedTo : path,
      git,
      hunks: placeHunks(spaced, noNewline),
    };
  });

const addedFile = fc.record({ path: pathArb, git: fc.boolean(), lines: hunkBody(fc.constant('add')) }).map(
  ({ path, git, lines }): GenFile => ({ status: 'added', newPath: path, git, hunks: placeHunks([{ lines, gap: 0, section: '' }], false) }),
);

const deletedFile = fc.record({ path: pathArb, git: fc.boolean(), lines: hunkBody(fc.constant('del')) }).map(
  ({ path, git, lines }): GenFile => ({ status: 'deleted', oldPath: path, git, hunks: placeHunks([{ lines, gap: 0, section: '' }], false) }),
);

/** Renders one file's header and hunks as git (or `diff -u`) writes them. */
function renderFile(file: GenFile): string[] {
  const out: string[] = [];
  const oldName = file.oldPath ?? file.newPath!;
  const newName = file.newPath ?? file.oldPath!;
  if (file.git) {
    out.push(`diff --git a/${oldName} b/${newName}`);
    if (file.status === 'added') out.push('new file mode 100644', 'index 0000000..1a2b3c4');
    else if (file.status === 'deleted') out.push('deleted file mode 100644', 'index 1a2b3c4..0000000');
    else if (file.status === 'renamed') out.push('similarity index 88%', `rename from ${oldName}`, `rename to ${newName}`, 'index 1a2b3c4..5d6e7f8 100644');
    else out.push('index 1a2b3c4..5d6e7f8 100644');
    out.push(file.status === 'added' ? '--- /dev/null' : `--- a/${oldName}`);
    out.push(file.status === 'deleted' ? '+++ /dev/null' : `+++ b/${newName}`);
  } else {
    out.push(file.status === 'added' ? '--- /dev/null' : `--- a/${oldName}\t2025-01-01 00:00:00.000000000 +0000`);
    out.push(file.status === 'deleted' ? '+++ /dev/null' : `+++ b/${newName}\t2025-01-01 00:00:00.000000000 +0000`);
  }
  for (const h of file.hunks) {
    out.push(`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@${h.section === '' ? '' : ` ${h.section}`}`);
    for (const l of h.lines) out.push(`${l.kind === 'add' ? '+' : l.kind === 'del' ? '-' : ' '}${l.text}`);
    if (h.noNewline) out.push('\\ No newline at end of file');
  }
  return out;
}

/** A well-formed diff of 1–4 files, with the model it must parse to. */
export const wellFormedDiff: fc.Arbitrary<GenDiff> = fc
  .array(fc.oneof({ arbitrary: modifiedFile, weight: 4 }, addedFile, deletedFile), { minLength: 1, maxLength: 4 })
  // Two files with one path would read as one file touched twice; keep paths apart.
  .filter((files) => {
    const perFile = files.map((f) => new Set([f.oldPath, f.newPath].filter((p) => p !== undefined)));
    const all = perFile.flatMap((paths) => [...paths]);
    return new Set(all).size === all.length;
  })
  .map((files) => ({ files, text: `${files.flatMap(renderFile).join('\n')}\n` }));

/** Lines that mean something to a diff reader, for splicing into a diff. */
export const DIFF_NOISE = [
  '', ' ', '\t', '\tx', '+', '-', '\\', '-- ', '--', '--  ', '2.43.0', '---', '+++', '+++ ', '--- ',
  '@@', '@@ -1 +1 @@', '@@ -0,0 +0,0 @@', '@@ -0,0 +0,3 @@', '@@ -3,0 +0,2 @@', '@@ -1,3 +1,3 @@ fn(x)', '@@ -1,2 +1,2',
  '@@ -99999999999999999999,1 +1,1 @@', '@@ -1,9007199254740993 +1,1 @@', '@@ -1,1000000 +1,1000000 @@', '@@ garbage @@',
  '@@@ -1,2 -1,2 +1,3 @@@', 'diff --git a/x.c b/x.c', 'diff --git "a/t\\303\\251st.c" "b/t\\303\\251st.c"',
  'diff --git a/a b/a b/a', 'diff --git ', 'diff --git a/x', 'diff -urN a/x b/x', '--- a/x.c', '+++ b/x.c', '--- /dev/null',
  '+++ /dev/null', '--- "a/q\\"uote.c"', 'index 0000000..1111111 100644', 'index', 'new file mode 100644',
  'deleted file mode 100755', 'old mode 100644', 'new mode 100755', 'rename from a', 'rename to b', 'rename from "a\\',
  'copy from a', 'copy to "q\\"', 'similarity index 100%', 'dissimilarity index 5%', 'Binary files a/x and b/x differ',
  'Binary files /dev/null and b/y differ', 'GIT binary patch', 'literal 0', 'delta 12', 'zcmV', 'HcmV?d00001',
  '\\ No newline at end of file', 'From 1234567 Mon Sep 17 00:00:00 2001', 'Index: x.c', '='.repeat(67),
  'base-commit: 0123456789abcdef', 'change-id: x', 'Signed-off-by: A <a@b>', '> @@ -1 +1 @@', '> diff --git a/x b/x',
];

const noiseLine: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...DIFF_NOISE), weight: 4 },
  { arbitrary: fc.tuple(fc.constantFrom(' ', '+', '-', '@@ ', '\t', ''), hostileText(20)).map(([p, t]) => p + t), weight: 2 },
  { arbitrary: hostileText(40), weight: 1 },
);

type Mutation =
  | { op: 'insert'; at: number; line: string }
  | { op: 'delete'; at: number }
  | { op: 'duplicate'; at: number }
  | { op: 'swap'; at: number }
  | { op: 'renumber'; at: number; numbers: string[] }
  | { op: 'truncate'; at: number }
  | { op: 'crlf'; at: number }
  | { op: 'eat-space'; at: number };

const number = fc.oneof(fc.nat({ max: 50 }).map(String), fc.constantFrom('0', '99999999999999999999', '9007199254740993', '1e3', '-1', ''));

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), line: noiseLine }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('swap' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('renumber' as const), at: fc.nat(), numbers: fc.array(number, { minLength: 4, maxLength: 4 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('crlf' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('eat-space' as const), at: fc.nat() }),
);

function mutate(lines: string[], m: Mutation): string[] {
  const out = [...lines];
  if (out.length === 0) return m.op === 'insert' ? [m.line] : out;
  const at = m.at % out.length;
  switch (m.op) {
    case 'insert':
      out.splice(at, 0, m.line);
      break;
    case 'delete':
      out.splice(at, 1);
      break;
    case 'duplicate':
      out.splice(at, 0, out[at]!);
      break;
    case 'swap':
      if (at + 1 < out.length) [out[at], out[at + 1]] = [out[at + 1]!, out[at]!];
      break;
    case 'renumber': {
      // Rewrites the counts of the first hunk header at or after `at`.
      const k = out.findIndex((l, i) => i >= at && l.startsWith('@@ '));
      if (k !== -1) {
        const [a, b, c, d] = m.numbers;
        out[k] = out[k]!.replace(/^@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@/, `@@ -${a}${b === '' ? '' : `,${b}`} +${c}${d === '' ? '' : `,${d}`} @@`);
      }
      break;
    }
    case 'truncate':
      out.length = at;
      break;
    case 'crlf':
      out[at] = `${out[at]}\r`;
      break;
    case 'eat-space':
      // What mailers do: a context line's lone space trimmed, or its leading space eaten before a tab.
      out[at] = out[at]!.startsWith(' ') ? out[at]!.slice(1) : out[at]!.trimEnd();
      break;
  }
  return out;
}

/** A well-formed diff with a few mutations: lines inserted, dropped, swapped, counts rewritten, the end cut off. */
export const mangledDiff: fc.Arbitrary<string> = fc
  .tuple(wellFormedDiff, fc.array(mutation, { minLength: 1, maxLength: 8 }), fc.constantFrom('', '\n', '-- \n2.43.0\n'))
  .map(([diff, mutations, tail]) => {
    const lines = mutations.reduce(mutate, diff.text.split('\n').slice(0, -1));
    return `${lines.join('\n')}\n${tail}`;
  });

/** Lines of diff noise and hostile text, in any order. */
export const noiseDiff: fc.Arbitrary<string> = fc.array(noiseLine, { maxLength: 40 }).map((lines) => lines.join('\n'));
