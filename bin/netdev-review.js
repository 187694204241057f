#!/usr/bin/env node
// Entry point installed as `netdev-review`: runs the compiled CLI (built by `npm ci` / `npm run build`).
import { main } from '../dist/src/cli.js';

process.exitCode = await main(process.argv.slice(2));
