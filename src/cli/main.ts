/** The `lcm` command. */
import { Command } from 'commander';
import { apiserverCommand } from './commands/apiserver.ts';
import { controllersCommand } from './commands/controllers.ts';
import { demoCommand } from './commands/demo.ts';
import { labCommand } from './commands/lab.ts';
import { exitCodeHelp, exitCodes } from './output.ts';

const program = new Command()
  .name('lcm')
  .description(
    'Cluster-upgrade lifecycle for single-node clusters, fleets and hosted control planes — rehearsed in a local lab.',
  )
  .showHelpAfterError('(run with --help for usage)')
  .addHelpText('after', exitCodeHelp)
  .exitOverride((error) => {
    // Usage errors exit 2 (commander's default is 1), so scripts can tell them from failures.
    if (error.exitCode === 0) process.exit(0);
    process.exit(
      error.code.startsWith('commander.') && error.code !== 'commander.executeSubCommandAsync'
        ? exitCodes.usage
        : error.exitCode,
    );
  })
  .addCommand(demoCommand())
  .addCommand(labCommand())
  .addCommand(apiserverCommand())
  .addCommand(controllersCommand());

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`lcm: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = exitCodes.failure;
}
