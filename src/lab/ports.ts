import { createServer } from 'node:net';

/**
 * A TCP port nobody listens on right now, picked by the kernel. Another process may still take it
 * before the caller binds it; callers that spawn servers should be ready to retry.
 */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error(`could not read the port bound on ${host}`));
      });
    });
  });
}

/**
 * Starts a server on the ports `pick` chooses, trying again with fresh ones when the start fails
 * with EADDRINUSE — unless the ports were given (`fixed`): then the caller's choice stands.
 */
export async function startOnFreePorts<Ports, Started>(
  fixed: boolean,
  pick: () => Promise<Ports>,
  start: (ports: Ports) => Promise<Started>,
): Promise<Started> {
  const attempts = fixed ? 1 : 3;
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    try {
      return await start(await pick());
    } catch (error) {
      lastError = error;
      if (!(error instanceof Error && error.message.includes('address already in use'))) throw error;
    }
  }
  throw lastError;
}
