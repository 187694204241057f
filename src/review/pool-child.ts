// Pipeline: a review process of the server's pool (see pool.ts) — forked with an IPC channel, it says
// when it is ready, then runs one task at a time: "started" when it begins (the pool's clock starts
// there), the outcome when it ends. It never runs anything but the review of the data it is sent.

import { collectGarbageAbove } from './timings.js';
import { runTaskSafely, type ReviewTask } from './tasks.js';

/** What the pool sends a review process. */
export type ToChild = { type: 'task'; id: number; task: ReviewTask };

/** What a review process sends back. */
export type FromChild =
  | { type: 'ready' }
  | { type: 'started'; id: number }
  | { type: 'done'; id: number; outcome: Awaited<ReturnType<typeof runTaskSafely>> };

/** Heap size above which a finished task is followed by a full collection (tree-sitter trees included). */
const COLLECT_ABOVE = 96 * 1024 * 1024;

function send(message: FromChild): void {
  process.send?.(message);
}

if (!process.send) {
  process.stderr.write('pool-child: must be started by the review pool (no IPC channel)\n');
  process.exit(2);
}

// Tasks arrive one at a time (the pool sends the next only after "done"); a chain keeps them in order anyway.
let chain = Promise.resolve();
process.on('message', (message: ToChild) => {
  if (message?.type !== 'task') return;
  chain = chain.then(async () => {
    send({ type: 'started', id: message.id });
    const outcome = await runTaskSafely(message.task);
    send({ type: 'done', id: message.id, outcome });
    collectGarbageAbove(COLLECT_ABOVE);
  });
});
// The pool went away (the server stopped or died): nothing left to do.
process.on('disconnect', () => process.exit(0));
// A terminal's Ctrl-C, or a container stop signalling the whole process group, reaches this process too;
// the server decides when it ends (it finishes the review under way, then closes the pool), so a signal
// must not turn that review into a crash.
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => undefined);
send({ type: 'ready' });
