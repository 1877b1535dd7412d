// A fake Executor for unit tests: answers commands from a table and records every argv, so tests
// can assert the exact commands an agent ran. Unmatched commands fail loudly.
import type { CommandResult, Executor, RunOptions } from '../../agents/core/executor';
import { NotInstalledError } from '../../agents/core/errors';

type FakeAnswer = Partial<Omit<CommandResult, 'argv'>> | 'not-installed';

export interface FakeRule {
  /** argv prefix to match (exact elements), or a predicate over the whole argv */
  match: readonly string[] | ((argv: readonly string[]) => boolean);
  answer: FakeAnswer | ((argv: readonly string[], options: RunOptions) => FakeAnswer | Promise<FakeAnswer>);
  /** how many times this rule may answer (default: any) */
  times?: number;
}

export interface FakeExecutor extends Executor {
  calls: Array<{ argv: string[]; options: RunOptions }>;
  /** argv of every call joined with spaces: handy for assert.equal on a command sequence */
  commands(): string[];
}

export function fakeExecutor(rules: FakeRule[]): FakeExecutor {
  const remaining = rules.map((rule) => rule.times ?? Number.POSITIVE_INFINITY);
  const calls: FakeExecutor['calls'] = [];
  return {
    calls,
    commands: () => calls.map((call) => call.argv.join(' ')),
    async run(file, args, options = {}) {
      const argv = [file, ...args];
      calls.push({ argv, options });
      const index = rules.findIndex((rule, i) => remaining[i]! > 0 && matches(rule.match, argv));
      if (index < 0) throw new Error(`fake executor: no rule for ${JSON.stringify(argv)}`);
      remaining[index]! -= 1;
      const rule = rules[index]!;
      const answer = typeof rule.answer === 'function' ? await rule.answer(argv, options) : rule.answer;
      if (answer === 'not-installed') throw new NotInstalledError(`${file} not found (is it installed and on PATH?)`, file);
      return { argv, exitCode: answer.exitCode ?? 0, stdout: answer.stdout ?? '', stderr: answer.stderr ?? '' };
    },
  };
}

function matches(match: FakeRule['match'], argv: readonly string[]): boolean {
  if (typeof match === 'function') return match(argv);
  return match.every((part, i) => argv[i] === part);
}
