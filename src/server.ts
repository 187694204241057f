// Entry point of the server (`npm start`): Probot's standard environment (APP_ID, PRIVATE_KEY or
// PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT, LOG_LEVEL, GHE_HOST/GHE_PROTOCOL) and the GitHub App.

import { run } from 'probot';
import { createApp } from './app.js';

const { app } = createApp();
await run(app);
