/** Removes a lab directory, including ostree deployments (which ostree makes immutable with chattr +i). */
import { rm } from 'node:fs/promises';
import { runCommand } from '../host/run-command.ts';

export async function removeTree(dir: string): Promise<void> {
  try {
    await rm(dir, { recursive: true, force: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error;
    await runCommand('chattr', ['-R', '-i', dir]).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}
