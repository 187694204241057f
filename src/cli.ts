// Entry point of the command line: `netdev-review check|rules` — parses options and wires ingest → review → report.

import { parseArgs } from 'node:util';
import { stat } from 'node:fs/promises';
import { ALL_RULES } from '../rules/index.js';
import type { Rule } from './engine/rule.js';
import { readInputFile, InputError } from './ingest/read-input.js';
import { linesChecked } from './diff/lines-checked.js';
import { reviewPatch, openTree, type TreeContext } from './review/review-patch.js';
import { collectGarbageAbove, yieldToEventLoop } from './review/timings.js';
import type { PatchReview, RunResult } from './review/result.js';
import { ruleInfos, renderRuleList, renderRulesMarkdown } from './review/rule-info.js';
import { FORMATS, isReportFormat, renderRun } from './report/index.js';
import { toolInfo } from './report/tool.js';
import { resolveTarget } from './citations/target-version.js';
import { auditTree } from './review/audit.js';
import { renderAuditSummary } from './review/audit-summary.js';

/** Exit statuses: what scripts and kernel tooling rely on. */
export const EXIT_CLEAN = 0;
export const EXIT_ERROR_FINDING = 1;
export const EXIT_USAGE = 2;

/** JS heap size above which a long run collects garbage between patches (see collectGarbage). */
const HEAP_SOFT_LIMIT = 48 * 1024 * 1024;

const USAGE = `usage: netdev-review <command> [options]

commands:
  check [options] <file...|->   review patches, series, mboxes or diffs ('-' reads stdin)
  audit [options] <dir...>      every rule over every .c file under a directory (no patch needed)
  post-mail <url> [file...|maildir|-]
                                POST each message (a mail, an mbox, a maildir, stdin) to a server's /mail,
                                signed with MAIL_WEBHOOK_SECRET
  pr <url> [--post] [--api-url URL]
                                review a GitHub pull request as the app would (token in GITHUB_TOKEN);
                                prints the review and check run, --post posts them
  action                        GitHub Action mode (action.yml): review the pull request of the workflow's
                                event with its token; exit 1 on a finding at NETDEV_REVIEW_FAIL_ON or above
  rules [--format text|json|markdown]
                                list every rule with its severity, document section and kernel range

check options:
  -f, --format <fmt>        ${FORMATS.join(' | ')} (default: text)
  -k, --kernel-version <v>  target kernel, e.g. 6.1, 5.10, mainline (default: from the subject tag, the tree, else mainline)
  -t, --tree <dir>          a kernel checkout: whole files for context, its Makefile version and its own document
  -a, --all                 audit whole functions, not only what the change introduces
  -r, --rule <id>           run only this rule (repeatable)
      --color / --no-color  force or disable colors in text output
  -h, --help                this help
  -V, --version             print the version

exit status: 0 no error finding, 1 an error finding, 2 bad usage or an input that is not a patch
`;

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  isTTY: boolean;
  /** stderr is a terminal (progress bars go there). */
  errIsTTY?: boolean;
  env: NodeJS.ProcessEnv;
}

const defaultIo = (): Io => ({
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  isTTY: !!process.stdout.isTTY,
  errIsTTY: !!process.stderr.isTTY,
  env: process.env,
});

/** Runs the CLI and returns the exit status (never throws, never prints a stack trace). */
export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  try {
    return await run(argv, io);
  } catch (error) {
    io.err(`netdev-review: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_USAGE;
  }
}

async function run(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    io.out(USAGE);
    return command === undefined ? EXIT_USAGE : EXIT_CLEAN;
  }
  if (command === '-V' || command === '--version') {
    io.out(`netdev-review ${toolInfo().version}\n`);
    return EXIT_CLEAN;
  }
  if (command === 'check') return check(rest, io);
  if (command === 'rules') return rules(rest, io);
  if (command === 'audit') return audit(rest, io);
  if (command === 'pr') return pr(rest, io);
  if (command === 'action') return action(io);
  if (command === 'post-mail') return postMail(rest, io);
  io.err(`netdev-review: unknown command '${command}'\n\n${USAGE}`);
  return EXIT_USAGE;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string', short: 'f' },
      'kernel-version': { type: 'string', short: 'k' },
      tree: { type: 'string', short: 't' },
      all: { type: 'boolean', short: 'a', default: false },
      rule: { type: 'string', short: 'r', multiple: true },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}

/** The options `check` and `audit` share, validated; undefined when only help was asked for. */
function reviewOptions(argv: string[], io: Io, missing: string) {
  const { values, positionals } = parse(argv);
  if (values.help) {
    io.out(USAGE);
    return undefined;
  }
  const format = values.format ?? 'text';
  if (!isReportFormat(format)) throw new Error(`--format: '${format}' is not one of ${FORMATS.join(', ')}`);
  if (positionals.length === 0) throw new Error(`${missing}\n\n${USAGE}`);
  if (values['kernel-version'] !== undefined) resolveTarget({ flag: values['kernel-version'] });
  const color = values['no-color'] ? false : values.color ? true : io.isTTY && !io.env.NO_COLOR;
  return { values, positionals, format, selected: selectRules(values.rule), color: !!color };
}

async function check(argv: string[], io: Io): Promise<number> {
  const options = reviewOptions(argv, io, "check: no input given (a patch file, an mbox, or '-' for stdin)");
  if (!options) return EXIT_CLEAN;
  const { values, positionals, format, selected, color } = options;

  let tree: TreeContext | undefined;
  if (values.tree !== undefined) {
    const s = await stat(values.tree).catch(() => undefined);
    if (!s?.isDirectory()) throw new Error(`--tree: '${values.tree}' is not a directory`);
    tree = await openTree(values.tree);
  }

  const reviews: PatchReview[] = [];
  const inputErrors: RunResult['inputErrors'] = [];
  for (const input of positionals) {
    let patches;
    try {
      patches = await readInputFile(input);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      inputErrors.push({ origin: error.origin, message: error.message });
      continue;
    }
    if (!patches.some((p) => p.kind === 'patch')) {
      const kinds = [...new Set(patches.map((p) => p.kind))].join(', ');
      inputErrors.push({ origin: input, message: `${input}: no patch to review (found: ${kinds || 'nothing'})` });
    }
    for (const patch of patches) {
      try {
        const review = await reviewPatch(patch, { rules: selected, kernelVersion: values['kernel-version'], audit: values.all, tree });
        // Reports need the patch's identity, not its text: let a long run's diffs be collected. Only the
        // checkpatch format counts the diff's lines, so only it pays for counting them now.
        const counted = format === 'checkpatch' && review.skipped === undefined ? { linesChecked: linesChecked(review.patch.diff) } : {};
        reviews.push({ ...review, ...counted, patch: { ...review.patch, diff: '', description: '' } });
      } catch (error) {
        // A bug of ours on one patch must not hide the others' results.
        const reason = error instanceof Error ? error.message : String(error);
        inputErrors.push({ origin: patch.origin, message: `${patch.origin}: internal error while reviewing (${reason}); please report it` });
      }
      await yieldToEventLoop();
      collectGarbageAbove(HEAP_SOFT_LIMIT);
    }
  }

  const run: RunResult = { reviews, inputErrors, rules: ruleInfos(selected) };
  io.out(renderRun(run, format, { color }));
  for (const e of inputErrors) io.err(`netdev-review: ${e.message}\n`);
  if (inputErrors.length > 0) return EXIT_USAGE;
  return reviews.some((r) => r.findings.some((f) => f.severity === 'error')) ? EXIT_ERROR_FINDING : EXIT_CLEAN;
}

async function audit(argv: string[], io: Io): Promise<number> {
  const options = reviewOptions(argv, io, 'audit: no directory given');
  if (!options) return EXIT_CLEAN;
  const { values, positionals, format, selected, color } = options;
  const progress = io.errIsTTY ? progressBar(io) : undefined;
  const results = [];
  for (const dir of positionals) {
    const s = await stat(dir).catch(() => undefined);
    if (!s) throw new Error(`audit: '${dir}' does not exist`);
    results.push(await auditTree(dir, { rules: selected, kernelVersion: values['kernel-version'], onProgress: progress }));
  }
  progress?.(0, 0, true);
  const reviews = results.flatMap((r) => r.reviews);
  const run: RunResult = { unit: 'file', reviews, inputErrors: [], rules: ruleInfos(selected) };
  io.out(renderRun(run, format, { color }));
  const summary = renderAuditSummary(results, run);
  // Machine formats keep stdout clean: the summary goes to stderr.
  if (format === 'text') io.out('\n' + summary);
  else io.err(summary);
  return reviews.some((r) => r.findings.some((f) => f.severity === 'error')) ? EXIT_ERROR_FINDING : EXIT_CLEAN;
}

async function postMail(argv: string[], io: Io): Promise<number> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, options: {} });
  const [url, ...inputs] = positionals;
  if (!url) throw new Error(`post-mail: give the server's /mail URL\n\n${USAGE}`);
  const secret = io.env.MAIL_WEBHOOK_SECRET;
  if (!secret) throw new Error('post-mail: set MAIL_WEBHOOK_SECRET (the secret the server checks signatures with)');
  const { messagesOf, postMessage } = await import('./mail/post-mail.js');
  const readStdin = async () => {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  };
  let failed = 0;
  let sent = 0;
  for (const input of inputs.length > 0 ? inputs : ['-']) {
    for (const raw of await messagesOf(input, readStdin)) {
      const r = await postMessage(url, secret, raw);
      sent++;
      if (r.status >= 300) {
        failed++;
        io.err(`netdev-review: post-mail: ${input}: HTTP ${r.status} ${r.body.slice(0, 200)}\n`);
      }
    }
  }
  io.out(`${sent - failed} of ${sent} message(s) accepted\n`);
  return failed > 0 ? EXIT_USAGE : EXIT_CLEAN;
}

async function action(io: Io): Promise<number> {
  const { actionSettings, runAction } = await import('./github/action.js');
  return runAction(actionSettings(io.env), io.out);
}

async function pr(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { post: { type: 'boolean', default: false }, 'api-url': { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    io.out(USAGE);
    return EXIT_CLEAN;
  }
  if (positionals.length !== 1) throw new Error(`pr: give one pull request URL\n\n${USAGE}`);
  const token = io.env.GITHUB_TOKEN;
  if (!token) throw new Error('pr: set GITHUB_TOKEN to a token that can read the repository (and write reviews/checks with --post)');
  const { runPrCommand, renderOutcome } = await import('./github/pr-command.js');
  const { outcome, pull } = await runPrCommand({ url: positionals[0], token, apiUrl: values['api-url'], post: values.post });
  io.out(renderOutcome(pull, outcome, values.post));
  return outcome.findings.some((f) => f.finding.severity === 'error') ? EXIT_ERROR_FINDING : EXIT_CLEAN;
}

/** A one-line progress bar redrawn on stderr (only on a terminal). */
function progressBar(io: Io): (done: number, total: number, end?: boolean) => void {
  const t0 = performance.now();
  return (done, total, end) => {
    if (end) {
      io.err('\r\x1b[K');
      return;
    }
    const width = 30;
    const filled = total ? Math.round((done / total) * width) : 0;
    const rate = done / Math.max(0.001, (performance.now() - t0) / 1000);
    const eta = rate > 0 ? Math.round((total - done) / rate) : 0;
    io.err(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total} files  ${rate.toFixed(0)} files/s  ETA ${eta}s\x1b[K`);
  };
}

function selectRules(ids: string[] | undefined): readonly Rule[] {
  if (!ids || ids.length === 0) return ALL_RULES;
  const known = new Map(ALL_RULES.map((r) => [r.meta.id, r]));
  return [...new Set(ids)].map((id) => {
    const rule = known.get(id);
    if (!rule) throw new Error(`--rule: unknown rule '${id}' (see 'netdev-review rules')`);
    return rule;
  });
}

async function rules(argv: string[], io: Io): Promise<number> {
  const { values } = parse(argv);
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'markdown') throw new Error(`rules --format: '${format}' is not text, json or markdown`);
  const infos = ruleInfos(ALL_RULES);
  io.out(format === 'json' ? JSON.stringify(infos, null, 2) + '\n' : format === 'markdown' ? renderRulesMarkdown(infos) : renderRuleList(infos));
  return EXIT_CLEAN;
}
