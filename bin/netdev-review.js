#!/usr/bin/env node
// Entry point installed as `netdev-review`: runs the compiled CLI (built by `npm ci` / `npm run build`).
// `npm run build` also bundles the CLI into dist/cli/ (one file for `check`, chunks for the rest): a cold
// run then loads a handful of files instead of a hundred modules. A bundle older than the compiled
// sources (only `tsc` was run since) is not used.
import { statSync } from 'node:fs';

const mtime = (path) => {
  try {
    return statSync(new URL(path, import.meta.url)).mtimeMs;
  } catch {
    return -1;
  }
};
const bundled = mtime('../dist/cli/cli.js') >= Math.max(0, mtime('../dist/src/cli.js'));
const { main } = await import(bundled ? '../dist/cli/cli.js' : '../dist/src/cli.js');

// `netdev-review check ... | head`: the reader left; stop quietly with the status so far.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2));
