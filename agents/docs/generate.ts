// Build-time entry (never bundled into the executable): writes every man page into a directory.
//   node --import tsx agents/docs/generate.ts OUTDIR VERSION DATE
// OUTDIR/man7/ocf_ocfkit_<Agent>.7 for every agent in the registry, OUTDIR/man8/ocfkit.8.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CLI_SUMMARY, COMPLETION_COMMAND } from '../cli/cli';
import { commands } from '../cli/commands';
import { MANIFEST_DIR } from '../install/manifest';
import { DEFAULT_OCF_ROOT, DEFAULT_PREFIX } from '../core/paths';
import { agentNames, loadAgent } from '../registry';
import { readCommands } from './cli-definitions';
import { agentPageName, renderAgentManPage, type PageContext } from './man-agent';
import { renderCliManPage } from './man-cli';
import { DEFAULT_CONFIG, UDEV_RULES_DIR, UDEV_RULES_NAME } from '../../rules/config/defaults';

export async function writeManPages(outdir: string, context: PageContext): Promise<string[]> {
  const written: string[] = [];
  const write = (relative: string, text: string) => {
    const file = path.join(outdir, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    written.push(relative);
  };
  const agents = await Promise.all(agentNames().map((name) => loadAgent(name)));
  for (const spec of agents) write(`man7/${agentPageName(spec.name)}.7`, renderAgentManPage(spec, context));
  const cliPage = renderCliManPage(
    {
      summary: CLI_SUMMARY,
      commands: readCommands([COMPLETION_COMMAND, ...commands]),
      agents: agents.map((spec) => ({ name: spec.name, shortdesc: spec.shortdesc })),
      files: [
        { path: `${DEFAULT_PREFIX}/sbin/ocfkit`, what: 'The executable.' },
        { path: `${context.ocfRoot}/resource.d/ocfkit/`, what: 'One symbolic link to the executable per agent.' },
        {
          path: `${MANIFEST_DIR}/`,
          what: 'One record per prefix of what "ocfkit install" wrote (size and SHA-256), for "ocfkit uninstall" (not used by the package).',
        },
        {
          path: DEFAULT_CONFIG,
          what: 'The site configuration read by the host-config generators (block: for "ocfkit udev"); YAML, errors are reported as file:line:column.',
        },
        {
          path: `${UDEV_RULES_DIR}/${UDEV_RULES_NAME}`,
          what: 'Block device tuning written by "ocfkit udev generate" and "ocfkit udev apply" from the site configuration.',
        },
      ],
    },
    context,
  );
  write('man8/ocfkit.8', cliPage);
  return written;
}

if (require.main === module) {
  const [outdir, version, date] = process.argv.slice(2);
  if (!outdir || !version || !date || !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    process.stderr.write('usage: generate.ts OUTDIR VERSION YYYY-MM-DD\n');
    process.exit(2);
  }
  writeManPages(outdir, { version, date, ocfRoot: DEFAULT_OCF_ROOT }).then(
    (files) => process.stdout.write(files.map((file) => `${file}\n`).join('')),
    (error: unknown) => {
      process.stderr.write(`generating man pages failed: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
}
