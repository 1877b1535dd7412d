// Build-time entry (never bundled into the executable): rewrites the generated parameter reference
// of every registered agent, docs/agents/<agent>-parameters.md, and removes generated pages whose
// agent is gone.
//   npm run docs
import { readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { agentNames, loadAgent } from '../registry';
import { agentReferencePath, renderAgentMarkdown } from './markdown-agent';

/** Every generated page: repository-relative path -> content. */
export async function referencePages(): Promise<Map<string, string>> {
  const pages = new Map<string, string>();
  for (const name of agentNames()) pages.set(agentReferencePath(name), renderAgentMarkdown(await loadAgent(name)));
  return pages;
}

/** Checked-in pages that carry the generated header: what the generator owns in docs/agents/. */
export function generatedPagesIn(repoRoot: string): string[] {
  const dir = path.join(repoRoot, 'docs/agents');
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.endsWith('.md') && readFileSync(path.join(dir, entry), 'utf8').startsWith('<!-- Generated from the agent definition'))
    .map((entry) => `docs/agents/${entry}`)
    .sort();
}

async function main(repoRoot: string): Promise<void> {
  const pages = await referencePages();
  for (const stale of generatedPagesIn(repoRoot).filter((file) => !pages.has(file))) {
    rmSync(path.join(repoRoot, stale));
    process.stdout.write(`removed ${stale}\n`);
  }
  for (const [file, text] of pages) {
    mkdirSync(path.dirname(path.join(repoRoot, file)), { recursive: true });
    writeFileSync(path.join(repoRoot, file), text);
    process.stdout.write(`wrote ${file}\n`);
  }
}

if (require.main === module) {
  main(path.resolve(__dirname, '../..')).catch((error: unknown) => {
    process.stderr.write(`generating the agent reference failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
