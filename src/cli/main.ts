/** The `lcm` command. */
import { Command, type CommanderError } from 'commander';
import { agentCommand } from './commands/agent.ts';
import { apiserverCommand } from './commands/apiserver.ts';
import { controllersCommand } from './commands/controllers.ts';
import { demoCommand } from './commands/demo.ts';
import { ibuCommand, seedCommand } from './commands/ibu.ts';
import { etcdCommand } from './commands/etcd.ts';
import { labCommand } from './commands/lab.ts';
import { readinessCommand } from './commands/readiness.ts';
import { upgradeCommand } from './commands/upgrade.ts';
import { exitCodeHelp, exitCodes } from './output.ts';

/** Usage errors exit 2 (commander's default is 1), so scripts can tell them from failures. */
function exitForUsage(error: CommanderError): never {
  if (error.exitCode === 0) process.exit(0);
  process.exit(error.code.startsWith('commander.') ? exitCodes.usage : error.exitCode);
}

/** Subcommands added with addCommand do not inherit these settings, so apply them to the whole tree. */
function applyEverywhere(command: Command): void {
  command.showHelpAfterError('(run with --help for usage)').exitOverride(exitForUsage);
  for (const sub of command.commands) applyEverywhere(sub);
}

const program = new Command()
  .name('lcm')
  .description(
    'Cluster-upgrade lifecycle for single-node clusters, fleets and hosted control planes — rehearsed in a local lab.',
  )
  .addHelpText('after', exitCodeHelp)
  // Lets a command and its subcommand share an option name (readiness and readiness scan: --to, -o).
  .enablePositionalOptions()
  .addCommand(demoCommand())
  .addCommand(labCommand())
  .addCommand(ibuCommand())
  .addCommand(seedCommand())
  .addCommand(readinessCommand())
  .addCommand(upgradeCommand())
  .addCommand(etcdCommand())
  .addCommand(apiserverCommand())
  .addCommand(controllersCommand())
  .addCommand(agentCommand());
applyEverywhere(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`lcm: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = exitCodes.failure;
}
