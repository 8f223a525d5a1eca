/** The `lcm` command. */
import { Command } from 'commander';
import { apiserverCommand } from './commands/apiserver.ts';
import { demoCommand } from './commands/demo.ts';

const program = new Command()
  .name('lcm')
  .description(
    'Cluster-upgrade lifecycle for single-node clusters, fleets and hosted control planes — rehearsed in a local lab.',
  )
  .showHelpAfterError('(run with --help for usage)')
  .addCommand(demoCommand())
  .addCommand(apiserverCommand());

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`lcm: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
