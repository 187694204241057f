// Report stage: one entry point for the CLI — render a run in the format asked for.

import type { RunResult } from '../review/result.js';
import { renderCheckpatch } from './checkpatch.js';
import { renderJson } from './json.js';
import { renderSarif } from './sarif.js';
import { renderText, type TextOptions } from './text.js';

export const FORMATS = ['text', 'checkpatch', 'json', 'sarif'] as const;
export type ReportFormat = (typeof FORMATS)[number];

export type RenderOptions = TextOptions;

/** True when `name` is one of {@link FORMATS} (for validating `--format`). */
export function isReportFormat(name: string): name is ReportFormat {
  return (FORMATS as readonly string[]).includes(name);
}

/** Renders a whole run in one of the CLI's output formats; `opts.color` only affects `text`. */
export function renderRun(run: RunResult, format: ReportFormat, opts: RenderOptions = { color: false }): string {
  switch (format) {
    case 'text':
      return renderText(run, opts);
    case 'checkpatch':
      return renderCheckpatch(run);
    case 'json':
      return renderJson(run);
    case 'sarif':
      return renderSarif(run);
  }
}

export { renderCheckpatch, renderJson, renderSarif, renderText };
export type { TextOptions };
