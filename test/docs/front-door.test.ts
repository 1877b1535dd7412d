// README.md is the front door and docs/ is behind it: every relative link and anchor in them
// resolves, every repository path they name exists, README's tables name exactly the registered agents and the CLI's commands (the same
// definitions `--help` and the man pages are made from), and each agent has its pages.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { COMPLETION_COMMAND } from '../../agents/cli/cli';
import { commands } from '../../agents/cli/commands';
import { readCommands } from '../../agents/docs/cli-definitions';
import { agentDocSlug, agentReferencePath } from '../../agents/docs/markdown-agent';
import { agentNames } from '../../agents/registry';
import { readDocumentation } from '../harness/doc-examples';

const repoRoot = path.resolve(__dirname, '../..');
const docs = readDocumentation(repoRoot);
const readme = docs.find((doc) => doc.file === 'README.md')!.text;

/** Prose without fenced blocks and code spans: where links live. */
function withoutCode(text: string): string {
  return text.replace(/^ {0,3}(```|~~~)[\s\S]*?^ {0,3}\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, blanks to "-". */
function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  for (const match of withoutCodeBlocks(text).matchAll(/^#{1,6} +(.+?) *#*$/gm)) anchors.add(headingAnchor(match[1]!));
  return anchors;
}

function withoutCodeBlocks(text: string): string {
  return text.replace(/^ {0,3}(```|~~~)[\s\S]*?^ {0,3}\1[^\n]*$/gm, '');
}

test('heading anchors as GitHub makes them', () => {
  const table: Array<[string, string]> = [
    ['The policy: positive evidence only', 'the-policy-positive-evidence-only'],
    ['Virtual machines: `ocf:ocfkit:VirtualMachine`', 'virtual-machines-ocfocfkitvirtualmachine'],
    ['force_stop', 'force_stop'],
    ['The lab: real kernels, real DRBD, real udev (`npm run lab`)', 'the-lab-real-kernels-real-drbd-real-udev-npm-run-lab'],
    ['Packages and releases (.deb and RPM, x86_64 and arm64)', 'packages-and-releases-deb-and-rpm-x86_64-and-arm64'],
  ];
  for (const [heading, anchor] of table) assert.is(headingAnchor(heading), anchor, heading);
});

test('every relative link and anchor in README.md and docs/ resolves', () => {
  const broken: string[] = [];
  const byFile = new Map(docs.map((doc) => [doc.file, doc.text]));
  for (const { file, text } of docs) {
    for (const match of withoutCode(text).matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = match[1]!;
      if (/^[a-z]+:/.test(target)) continue;
      const [relative, anchor] = target.split('#') as [string, string | undefined];
      const targetFile = relative ? path.posix.normalize(path.posix.join(path.posix.dirname(file), relative)) : file;
      if (!existsSync(path.join(repoRoot, targetFile))) {
        broken.push(`${file}: ${target} (no ${targetFile})`);
        continue;
      }
      if (anchor !== undefined) {
        const targetText = byFile.get(targetFile) ?? readFileSync(path.join(repoRoot, targetFile), 'utf8');
        if (!anchorsOf(targetText).has(anchor)) broken.push(`${file}: ${target} (no heading for #${anchor} in ${targetFile})`);
      }
    }
  }
  assert.ok(broken.length === 0, `broken links:\n  ${broken.join('\n  ')}`);
});

test('every repository path the documentation names exists', () => {
  const missing: string[] = [];
  for (const { file, text } of docs) {
    for (const match of text.matchAll(/`((?:agents|rules|build|test|docs|\.ci)\/[^`\s]*)`/g)) {
      const named = match[1]!;
      // patterns and placeholders (parse-*.ts, <agent>.md) name no one file
      if (/[*<]/.test(named)) continue;
      if (!existsSync(path.join(repoRoot, named))) missing.push(`${file}: ${named}`);
    }
  }
  assert.ok(missing.length === 0, `the documentation names paths that do not exist (moved?):\n  ${missing.join('\n  ')}`);
});

test("README's agents table names every registered agent and links its page and generated reference", () => {
  const rows = readme.split('\n').filter((line) => /^\| `ocf:ocfkit:\w+`/.test(line));
  const named = rows.map((row) => /`ocf:ocfkit:(\w+)`/.exec(row)![1]!);
  const problems: string[] = [];
  for (const name of agentNames()) {
    const page = `docs/agents/${agentDocSlug(name)}.md`;
    const row = rows.find((line) => line.startsWith(`| \`ocf:ocfkit:${name}\``));
    if (!row) {
      problems.push(
        `no row for ocf:ocfkit:${name}: add "| \`ocf:ocfkit:${name}\` | what it does | [${name}](${page}), [parameters](${agentReferencePath(name)}) |", write ${page} and run "npm run docs"`,
      );
      continue;
    }
    if (!row.includes(`(${page})`)) problems.push(`the row of ${name} does not link ${page}`);
    if (!row.includes(`(${agentReferencePath(name)})`)) problems.push(`the row of ${name} does not link ${agentReferencePath(name)}`);
  }
  for (const name of named.filter((agent) => !(agentNames() as string[]).includes(agent)))
    problems.push(`a row for ocf:ocfkit:${name}, which is no registered agent`);
  assert.ok(problems.length === 0, `README.md's agents table:\n  ${problems.join('\n  ')}`);
});

test("README's command table names exactly the CLI's commands and subcommands, each with an example", () => {
  const expected: string[] = [];
  for (const command of readCommands([COMPLETION_COMMAND, ...commands])) {
    const name = command.command.split(' ')[0]!;
    if (command.subcommands.length === 0) expected.push(`ocfkit ${name}`);
    for (const sub of command.subcommands) expected.push(`ocfkit ${name} ${sub.command.split(' ')[0]}`);
  }
  const rows = readme.split('\n').filter((line) => /^\| `ocfkit [a-z-]+( [a-z-]+)?` \|/.test(line));
  const named = rows.map((row) => /^\| `([^`]+)`/.exec(row)![1]!);
  const problems = [
    ...expected
      .filter((name) => !named.includes(name))
      .map((name) => `no row for ${name}: add "| \`${name}\` | what it does (as --help says) | \`${name} ...\` |"`),
    ...named.filter((name) => !expected.includes(name)).map((name) => `a row for ${name}, which the CLI does not have`),
  ];
  for (const row of rows) {
    const name = /^\| `([^`]+)`/.exec(row)![1]!;
    const example = /\| `([^`]+)` \|$/.exec(row)?.[1];
    if (!example?.includes(name)) problems.push(`the row of ${name} does not end with an example of it`);
  }
  assert.ok(problems.length === 0, `README.md's command table:\n  ${problems.join('\n  ')}`);
});

test.run();
