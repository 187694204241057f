#!/usr/bin/env node
// Entry point installed as `netdev-review`: runs the compiled CLI (built by `npm ci` / `npm run build`).
import { main } from '../dist/src/cli.js';

// `netdev-review check ... | head`: the reader left; stop quietly with the status so far.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2));
