// Dev tooling: the built server (`node dist/src/server.js`, what `npm start` runs) started on a free
// loopback port for a script or a test, its JSON log lines handed over one by one, ready once GET /health
// answers.

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.js';

export interface SpawnedServer {
  /** `http://127.0.0.1:PORT`. */
  base: string;
  child: ChildProcess;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface SpawnOptions {
  /** The server's whole environment but PORT and HOST (nothing is inherited). */
  env: NodeJS.ProcessEnv;
  /** Each stdout line that parses as JSON (the server logs JSON lines). */
  onLogLine?: (entry: Record<string, unknown>, line: string) => void;
  onStderr?: (chunk: string) => void;
  /** How long to wait for GET /health (default 30 s). */
  startTimeoutMs?: number;
}

/** The compiled server: beside this module once built; from the TypeScript sources, the build's copy. */
function serverScript(): string {
  const built = import.meta.url.endsWith('.js');
  return fileURLToPath(new URL(built ? '../server.js' : '../../dist/src/server.js', import.meta.url));
}

/** Starts the server and resolves once it answers GET /health; rejects if it exits or does not answer in time. */
export async function spawnServer(options: SpawnOptions): Promise<SpawnedServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [serverScript()], {
    env: { ...options.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let rest = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop()!;
    for (const line of lines) {
      let entry: unknown;
      try {
        entry = JSON.parse(line);
      } catch {
        continue; // not a log line
      }
      if (typeof entry === 'object' && entry !== null) options.onLogLine?.(entry as Record<string, unknown>, line);
    }
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-2000);
    options.onStderr?.(chunk);
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  for (;;) {
    if (await fetch(`${base}/health`).then((r) => r.ok, () => false)) return { base, child, exit };
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not start: ${stderr.trim() || 'no output'}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
