// GitHub Action mode: the app's review of one pull request, run inside a workflow with the workflow's
// token. The pull request comes from the event the workflow runs on (GITHUB_EVENT_PATH).

import { readFile, appendFile } from 'node:fs/promises';
import { runPrCommand, renderOutcome } from './pr-command.js';

export type FailOn = 'error' | 'warning' | 'never';

export interface ActionSettings {
  token: string;
  eventPath: string;
  apiUrl: string;
  serverUrl: string;
  post: boolean;
  failOn: FailOn;
  /** GITHUB_STEP_SUMMARY: the job's summary page, when the runner provides one. */
  summaryPath?: string;
}

/** Reads the settings the way action.yml passes them (inputs as NETDEV_REVIEW_* variables). */
export function actionSettings(env: NodeJS.ProcessEnv): ActionSettings {
  const token = env.NETDEV_REVIEW_TOKEN || env.GITHUB_TOKEN;
  if (!token) throw new Error('action: no token (the `token` input, or GITHUB_TOKEN)');
  if (!env.GITHUB_EVENT_PATH) throw new Error('action: GITHUB_EVENT_PATH is not set: run this inside a GitHub Actions workflow');
  const failOn = (env.NETDEV_REVIEW_FAIL_ON || 'error') as FailOn;
  if (!['error', 'warning', 'never'].includes(failOn)) throw new Error(`action: fail-on must be error, warning or never, not '${failOn}'`);
  const post = (env.NETDEV_REVIEW_POST || 'true').toLowerCase();
  if (!['true', 'false'].includes(post)) throw new Error(`action: post must be true or false, not '${post}'`);
  return {
    token,
    eventPath: env.GITHUB_EVENT_PATH,
    apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
    serverUrl: env.GITHUB_SERVER_URL || 'https://github.com',
    post: post === 'true',
    failOn,
    summaryPath: env.GITHUB_STEP_SUMMARY || undefined,
  };
}

/** The pull request's web URL from a pull_request / pull_request_target event, or why there is none. */
export function pullUrlOf(event: unknown, serverUrl: string): string | { skip: string } {
  const e = event as { pull_request?: { number?: number; html_url?: string }; repository?: { full_name?: string } };
  const pr = e.pull_request;
  if (!pr || typeof pr.number !== 'number') return { skip: 'the workflow did not run on a pull request event' };
  // The base repository and the number name the pull request exactly (html_url is only a fallback).
  if (e.repository?.full_name) return `${serverUrl.replace(/\/$/, '')}/${e.repository.full_name}/pull/${pr.number}`;
  return pr.html_url ?? { skip: 'the event names no repository' };
}

/** Runs the review; returns the exit status (1 when a finding reaches `failOn`). */
export async function runAction(settings: ActionSettings, out: (s: string) => void): Promise<number> {
  const event = JSON.parse(await readFile(settings.eventPath, 'utf8')) as unknown;
  const url = pullUrlOf(event, settings.serverUrl);
  if (typeof url !== 'string') {
    out(`netdev-review: nothing to review: ${url.skip}\n`);
    return 0;
  }
  const { outcome, pull } = await runPrCommand({ url, token: settings.token, apiUrl: settings.apiUrl, post: settings.post });
  const text = renderOutcome(pull, outcome, settings.post);
  out(text);
  const errors = outcome.findings.filter((f) => f.finding.severity === 'error').length;
  const warnings = outcome.findings.filter((f) => f.finding.severity === 'warning').length;
  if (settings.summaryPath) {
    const head = `### netdev-review: ${errors} error(s), ${warnings} warning(s)\n\n`;
    await appendFile(settings.summaryPath, head + (outcome.review?.body ?? outcome.skipped ?? 'No findings in what this pull request changes.') + '\n');
  }
  if (settings.failOn === 'error') return errors > 0 ? 1 : 0;
  if (settings.failOn === 'warning') return errors + warnings > 0 ? 1 : 0;
  return 0;
}
