// The pcs and crmsh examples of the documentation, as the doc-examples integration suite runs them:
// every fenced code block of README.md and docs/**.md that holds a pcs or crm command is one
// example. Pure functions (the suite runs the commands): finding the blocks, splitting their lines
// into argument arrays the way a POSIX shell would, and working out which resources a block uses
// without creating them, so that its CIB can hold them first.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

type Tool = 'pcs' | 'crm';

export interface ExampleCommand {
  /** 1-based line of the command's first line in the file */
  line: number;
  tool: Tool;
  argv: string[];
  /** the command as written, continuation lines joined */
  text: string;
}

export interface ExampleBlock {
  file: string;
  /** 1-based line of the opening fence */
  line: number;
  commands: ExampleCommand[];
}

/** A finding that makes the documentation itself wrong, named by file:line. */
export interface DocProblem {
  file: string;
  line: number;
  problem: string;
}

/** README.md and every Markdown file below docs/, repository-relative, sorted. */
function documentationFiles(repoRoot: string): string[] {
  const files = ['README.md'];
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(path.join(repoRoot, dir), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const relative = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(relative);
      else if (entry.name.endsWith('.md')) files.push(relative);
    }
  };
  walk('docs');
  return files.sort();
}

export function readDocumentation(repoRoot: string): Array<{ file: string; text: string }> {
  return documentationFiles(repoRoot).map((file) => ({ file, text: readFileSync(path.join(repoRoot, file), 'utf8') }));
}

interface Fenced {
  line: number;
  lines: Array<{ line: number; text: string }>;
}

/** Fenced code blocks (``` or ~~~, any info string) and the prose lines outside them. */
function splitMarkdown(text: string): { blocks: Fenced[]; prose: Array<{ line: number; text: string }> } {
  const blocks: Fenced[] = [];
  const prose: Array<{ line: number; text: string }> = [];
  let open: { fence: string; block: Fenced } | undefined;
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const fence = /^ {0,3}(`{3,}|~{3,})/.exec(raw)?.[1];
    if (open) {
      if (fence && fence[0] === open.fence[0] && fence.length >= open.fence.length && raw.trim() === fence) {
        blocks.push(open.block);
        open = undefined;
      } else open.block.lines.push({ line, text: raw });
    } else if (fence) open = { fence, block: { line, lines: [] } };
    else prose.push({ line, text: raw });
  });
  if (open) blocks.push(open.block);
  return { blocks, prose };
}

/**
 * Splits one shell command line into words as sh would: blanks separate, '...' is literal, "..."
 * keeps blanks and takes \" \\ \$ \` escapes, a backslash outside quotes escapes the next
 * character, # at the start of a word begins a comment. Anything that needs a shell to mean
 * something (variables, substitutions, redirections, pipes, lists) is refused: an example runs
 * as an argument array.
 */
export function shellWords(command: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  const push = (text: string) => (word = (word ?? '') + text);
  for (let i = 0; i < command.length; i += 1) {
    const char = command[i]!;
    if (char === ' ' || char === '\t') {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (char === '#' && word === undefined) {
      break;
    } else if (char === "'") {
      const end = command.indexOf("'", i + 1);
      if (end < 0) throw new Error('unterminated single quote');
      push(command.slice(i + 1, end));
      i = end;
    } else if (char === '"') {
      let text = '';
      let j = i + 1;
      for (; j < command.length && command[j] !== '"'; j += 1) {
        const inner = command[j]!;
        if (inner === '\\' && '"\\$`'.includes(command[j + 1] ?? '')) {
          text += command[j + 1];
          j += 1;
        } else if (inner === '$' || inner === '`') throw new Error(`"${inner}" inside double quotes needs a shell`);
        else text += inner;
      }
      if (j >= command.length) throw new Error('unterminated double quote');
      push(text);
      i = j;
    } else if (char === '\\') {
      if (i + 1 >= command.length) throw new Error('a backslash at the end of the command');
      push(command[i + 1]!);
      i += 1;
    } else if ('$`;|&<>(){}*?['.includes(char)) {
      throw new Error(`"${char}" needs a shell; write the example as one plain command`);
    } else push(char);
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** Joins continuation lines (a trailing backslash) and drops blank and comment lines. */
function commandsOf(block: Fenced): Array<{ line: number; text: string }> {
  const commands: Array<{ line: number; text: string }> = [];
  let pending: { line: number; text: string } | undefined;
  for (const { line, text } of block.lines) {
    const continued = /\\$/.test(text) && !/\\\\$/.test(text);
    const part = continued ? text.slice(0, -1) : text;
    if (pending) pending.text += ` ${part.trim()}`;
    else if (part.trim() === '' || part.trim().startsWith('#')) continue;
    else pending = { line, text: part.trim() };
    if (!continued) {
      commands.push(pending);
      pending = undefined;
    }
  }
  if (pending) commands.push(pending);
  return commands;
}

const toolOf = (word: string | undefined): Tool | undefined => (word === 'pcs' || word === 'crm' ? word : undefined);

/**
 * The example blocks of one Markdown file, and what is wrong with its examples: a block mixing
 * pcs/crm with other commands (they would not run), a line no shell would split, and a pcs or crm
 * command written inline in prose (it would never run).
 */
export function extractExamples(file: string, text: string): { blocks: ExampleBlock[]; problems: DocProblem[] } {
  const { blocks: fenced, prose } = splitMarkdown(text);
  const blocks: ExampleBlock[] = [];
  const problems: DocProblem[] = [];
  for (const block of fenced) {
    const commands = commandsOf(block);
    if (!commands.some((command) => toolOf(command.text.split(/\s+/)[0]))) continue;
    const example: ExampleBlock = { file, line: block.line, commands: [] };
    for (const command of commands) {
      let argv: string[];
      try {
        argv = shellWords(command.text);
      } catch (error) {
        problems.push({ file, line: command.line, problem: `${(error as Error).message}: ${command.text}` });
        continue;
      }
      const tool = toolOf(argv[0]);
      if (!tool) {
        problems.push({
          file,
          line: command.line,
          problem: `a block with pcs or crm examples holds another command (give it a block of its own): ${command.text}`,
        });
        continue;
      }
      example.commands.push({ line: command.line, tool, argv: argv.slice(1), text: command.text });
    }
    blocks.push(example);
  }
  for (const { line, text: proseLine } of prose) {
    for (const match of proseLine.matchAll(/`((?:pcs|crm) [^`]*)`/g)) {
      problems.push({ file, line, problem: `a pcs or crm command inline in prose never runs; write it as a fenced block: ${match[1]}` });
    }
  }
  return { blocks, problems };
}

/**
 * Resources the block's commands refer to but do not create, among `known` (the ids the suite can
 * put into a CIB first). pcs's `resource create ID ... clone|promotable` also creates `ID-clone`.
 * A word refers to an id when it is the id, or the id followed by `:role` / `:action` (crmsh).
 */
export function usedNotCreated(commands: readonly ExampleCommand[], known: readonly string[]): string[] {
  const created = new Set<string>();
  const used = new Set<string>();
  for (const { tool, argv } of commands) {
    if (tool === 'pcs' && argv[0] === 'resource' && argv[1] === 'create' && argv[2]) {
      created.add(argv[2]);
      if (argv.includes('clone') || argv.includes('promotable')) created.add(`${argv[2]}-clone`);
    }
    if (tool === 'crm' && argv[0] === 'configure' && ['primitive', 'clone', 'ms', 'group'].includes(argv[1] ?? '') && argv[2]) created.add(argv[2]);
    for (const word of argv) {
      const id = word.split(':')[0]!;
      if (known.includes(id)) used.add(id);
    }
  }
  return known.filter((id) => used.has(id) && !created.has(id));
}
