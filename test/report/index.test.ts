// Report stage tests: format dispatch and the tool identity every format prints.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  FORMATS,
  isReportFormat,
  renderCheckpatch,
  renderJson,
  renderRun,
  renderSarif,
  renderText,
} from '../../src/report/index.js';
import { toolInfo, toolInfoFrom } from '../../src/report/tool.js';
import { sampleRun } from './fixtures.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };

describe('renderRun', () => {
  it('offers the four CLI formats', () => {
    expect(FORMATS).toEqual(['text', 'checkpatch', 'json', 'sarif']);
    expect(FORMATS.every(isReportFormat)).toBe(true);
    expect(isReportFormat('html')).toBe(false);
  });

  it('dispatches to the renderer of each format', () => {
    const run = sampleRun();
    expect(renderRun(run, 'text', { color: true })).toBe(renderText(run, { color: true }));
    expect(renderRun(run, 'text')).toBe(renderText(run, { color: false }));
    expect(renderRun(run, 'checkpatch')).toBe(renderCheckpatch(run));
    expect(renderRun(run, 'json')).toBe(renderJson(run));
    expect(renderRun(run, 'sarif')).toBe(renderSarif(run));
  });
});

describe('toolInfo', () => {
  it('reads name and version from package.json', () => {
    expect(toolInfo()).toMatchObject({ name: pkg.name, version: pkg.version });
  });

  it('finds package.json from the compiled location (dist/src/report) too', () => {
    expect(toolInfoFrom(join(root, 'dist', 'src', 'report'))).toMatchObject({ name: 'netdev-review', version: pkg.version });
  });

  it('fails outside the package rather than print a made-up version', () => {
    expect(() => toolInfoFrom(tmpdir())).toThrow(/no package.json named netdev-review/);
  });
});
