/** Long-running commands (servers, controllers, agents) run until SIGTERM or SIGINT. */
export async function untilStopped(): Promise<void> {
  // A pending promise does not keep Node alive; this timer does, until a signal arrives.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  clearInterval(keepAlive);
}
