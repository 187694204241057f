// CLI end to end: bad input never crashes — it ends in exit 2 with a clear message, or exit 0/1 with a note.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import {
  checkJson,
  ensureBuilt,
  expectNoStackTrace,
  expectOneLineErrorNaming,
  FIXTURES,
  findingKeys,
  fixture,
  runCli,
  runCliAsync,
  type CliResult,
} from './harness.js';

let scratch: string;
/** The 20 MB run takes seconds: started first, so the other tests of this file run beside it. */
let hugeRun: Promise<CliResult>;

beforeAll(() => {
  ensureBuilt();
  scratch = mkdtempSync(path.join(tmpdir(), 'netdev-review-robust-'));
  hugeRun = runCliAsync(['check', '--format', 'json', writeHugePatch()]);
});

const NEW_DRIVER = readFileSync(path.join(FIXTURES, 'ks8-new-driver.patch'));
const NEW_DRIVER_FINDINGS = ['xmit-return-type@24', 'sleep-in-atomic-ndo@31', 'xmit-return-type@35', 'netdev-free-api@76'];

function write(name: string, content: string | Buffer): string {
  const file = path.join(scratch, name);
  writeFileSync(file, content);
  return file;
}

describe('inputs with no patch in them: exit 2, one line naming the file', () => {
  it('an empty file', () => {
    const file = write('empty.patch', '');
    const r = runCli(['check', file]);
    expect(r.status).toBe(2);
    expectOneLineErrorNaming(r.stderr, file);
    expect(r.stderr).toContain('empty input');
  });

  it('a file of random text', () => {
    const r = runCli(['check', fixture('random.txt')]);
    expect(r.status).toBe(2);
    expectOneLineErrorNaming(r.stderr, fixture('random.txt'));
    expect(r.stderr).toContain('no patch found');
  });

  it('random bytes', () => {
    // Deterministic noise, with NULs: what a mistaken `check firmware.bin` reads.
    const bytes = Buffer.alloc(4096);
    for (let i = 0, x = 12345; i < bytes.length; i++) bytes[i] = (x = (x * 1103515245 + 12345) & 0x7fffffff) >> 16;
    const file = write('noise.bin', bytes);
    const r = runCli(['check', '--format', 'json', file]);
    expect(r.status).toBe(2);
    expectOneLineErrorNaming(r.stderr, 'noise.bin');
    expect(JSON.parse(r.stdout).inputErrors).toHaveLength(1);
  });
});

describe('damaged or unusual patches: exit 0/1, with a note where something was skipped', () => {
  it('a truncated hunk (header says 10 lines, 3 present): reviewed what is there, with a note', () => {
    const { status, report } = checkJson([fixture('truncated-hunk.patch')]);
    expect(status).toBe(1);
    const review = report.reviews[0]!;
    expect(review.notes.some((n) => /hunk @@ -51,10 \+51,11 @@ .* is truncated: 2 old \/ 3 new line\(s\) present/.test(n))).toBe(true);
    expect(findingKeys(review)).toEqual(['sleep-in-atomic-ndo@53']);
  });

  it('a truncated hunk: the note is given once', () => {
    const { report } = checkJson([fixture('truncated-hunk.patch')]);
    const notes = report.reviews[0]!.notes;
    expect(notes).toEqual([...new Set(notes)]);
  });

  it('"Binary files a/x and b/x differ": no findings, a note that the binary file was skipped', () => {
    const { status, report } = checkJson([fixture('binary-differ.patch')]);
    expect(status).toBe(0);
    expect(report.reviews[0]!.findings).toEqual([]);
    expect(report.reviews[0]!.notes).toContain('firmware/kestrel/ks8.bin: binary file skipped');
  });

  it('a GIT binary patch next to a C change: the binary part skipped with a note, the C reviewed', () => {
    const { status, report } = checkJson([fixture('binary-and-c.patch')]);
    expect(status).toBe(1);
    expect(report.reviews[0]!.notes).toContain('firmware/kestrel/ks8.bin: binary file skipped');
    expect(findingKeys(report.reviews[0]!)).toEqual(['xmit-return-type@49']);
    expect(report.reviews[0]!.findings[0]!.message).toContain('NET_XMIT_CN');
  });

  it('invalid UTF-8 bytes inside a patch: decoded with a note, same findings', () => {
    const text = NEW_DRIVER.toString('latin1').replace('controller driver */', 'controller driver \xff\xfe\xc3\x28 caf\xe9 */');
    const file = write('bad-utf8.patch', Buffer.from(text, 'latin1'));
    const { status, report } = checkJson([file]);
    expect(status).toBe(1);
    expect(report.reviews[0]!.notes.join('\n')).toMatch(/invalid UTF-8/);
    expect(findingKeys(report.reviews[0]!)).toEqual(NEW_DRIVER_FINDINGS);
  });

  it('CRLF line endings: same findings, same input line numbers', () => {
    const file = write('crlf.patch', NEW_DRIVER.toString('utf8').replace(/\n/g, '\r\n'));
    const crlf = checkJson([file]);
    const lf = checkJson([fixture('ks8-new-driver.patch')]);
    expect(crlf.status).toBe(1);
    expect(findingKeys(crlf.report.reviews[0]!)).toEqual(NEW_DRIVER_FINDINGS);
    expect(crlf.report.reviews[0]!.findings.map((f) => f.inputLine)).toEqual(lf.report.reviews[0]!.findings.map((f) => f.inputLine));
    // Fixes and quoted lines carry no stray CR.
    for (const f of crlf.report.reviews[0]!.findings) expect(f.fix?.replacement ?? '').not.toContain('\r');
    const cp = runCli(['check', '-f', 'checkpatch', file]);
    expect(cp.stdout).not.toContain('\r');
  });

  it('a patch touching only non-C files (rst, Kconfig, Makefile): clean, exit 0', () => {
    const { status, report } = checkJson([fixture('docs-only.patch')]);
    expect(status).toBe(0);
    // The rst text mentions mutex_lock() and ndo_start_xmit: it must not be read as C.
    expect(report.reviews[0]!.findings).toEqual([]);
    expect(report.reviews[0]!.skipped ?? null).toBeNull();
  });

  it('C that tree-sitter cannot parse (conflict markers and garbage in a function body): no crash', () => {
    const r = runCli(['check', '--format', 'json', fixture('garbage-c.patch')]);
    expectNoStackTrace(r.stderr);
    expect([0, 1]).toContain(r.status);
    const review = JSON.parse(r.stdout).reviews[0];
    expect(review.skipped ?? null).toBeNull();
    // What does parse around the garbage is still checked.
    expect(review.findings.map((f: { ruleId: string; line: number }) => `${f.ruleId}@${f.line}`)).toEqual(['sleep-in-atomic-ndo@58']);
  });

  it('a new C file that is garbage at file scope: no crash', () => {
    const garbage = ['}}}} static int (((', 'netdev_tx_t ks8_start_xmit(struct sk_buff *skb,', '#if', '"unterminated', "'", '/* open comment', '{ return -EBUSY; ]'];
    const body = garbage.map((l) => `+${l}\n`).join('');
    const patch =
      'diff --git a/drivers/net/ethernet/kestrel/ks8_junk.c b/drivers/net/ethernet/kestrel/ks8_junk.c\nnew file mode 100644\n' +
      `--- /dev/null\n+++ b/drivers/net/ethernet/kestrel/ks8_junk.c\n@@ -0,0 +1,${garbage.length} @@\n${body}`;
    const r = runCli(['check', '-'], { input: patch });
    expectNoStackTrace(r.stderr);
    expect([0, 1]).toContain(r.status);
    expect(r.stdout).toMatch(/in 1 patch/);
  });

  it('C that tree-sitter cannot parse: a note says part of the C could not be parsed', () => {
    const { report } = checkJson([fixture('garbage-c.patch')]);
    expect(report.reviews[0]!.notes.join('\n')).toMatch(/pars/i);
  });
});

describe('a 20 MB patch', () => {
  it('completes (a new C file of many small functions, an xmit bug at its end)', async () => {
    const r = await hugeRun;
    expectNoStackTrace(r.stderr);
    expect([0, 1]).toContain(r.status);
    const review = JSON.parse(r.stdout).reviews[0] as { findings: { ruleId: string }[]; notes: string[] };
    // Either the xmit at the end was reached, or the report says what it skipped.
    if (!review.findings.some((f) => f.ruleId === 'xmit-return-type')) {
      expect(review.notes.join('\n')).toMatch(/skipped/);
    }
  });
});

/** Writes the 20 MB patch: a generated C file of small register helpers, then an ndo_start_xmit returning -EBUSY. */
function writeHugePatch(): string {
  const fns: string[] = [];
  let size = 0;
  for (let i = 0; size < 20 * 1024 * 1024; i++) {
    const fn =
      `static int ks8_fw_reg_${i}(struct ks8_priv *priv, u32 val)\n{\n\tu32 old = readl(priv->regs + ${(i % 4096) * 4});\n\n` +
      `\tif (old == val)\n\t\treturn 0;\n\twritel(val, priv->regs + ${(i % 4096) * 4});\n\treturn 1;\n}\n\n`;
    fns.push(fn);
    size += fn.length;
  }
  fns.push('static netdev_tx_t ks8_start_xmit(struct sk_buff *skb, struct net_device *ndev)\n{\n\tstruct ks8_priv *priv = netdev_priv(ndev);\n\n\tif (!priv->tx_free)\n\t\treturn -EBUSY;\n\treturn NETDEV_TX_OK;\n}\n');
  const lines = fns.join('').split('\n').slice(0, -1);
  const file = path.join(scratch, 'huge.patch');
  writeFileSync(
    file,
    'From: Priya Raman <priya.raman@example.net>\nSubject: [PATCH net-next] net: kestrel: add the generated firmware register accessors\n\n' +
      'Generated from the vendor register map.\n\nSigned-off-by: Priya Raman <priya.raman@example.net>\n---\n' +
      'diff --git a/drivers/net/ethernet/kestrel/ks8_fw_regs.c b/drivers/net/ethernet/kestrel/ks8_fw_regs.c\nnew file mode 100644\n' +
      `--- /dev/null\n+++ b/drivers/net/ethernet/kestrel/ks8_fw_regs.c\n@@ -0,0 +1,${lines.length} @@\n` +
      lines.map((l) => `+${l}\n`).join(''),
  );
  return file;
}
