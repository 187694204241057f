// Dev tooling: a free TCP port on loopback, for scripts and tests that start servers of their own.

import { createServer } from 'node:net';

/** A port nothing listens on at the moment it is asked (bind to port 0, read it, close). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', resolve);
  });
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
