// `ocfkit doctor`: collect, check, print; the exit code says how bad it is (findings.ts).
import { version } from '../../../package.json';
import { createExecaExecutor } from '../../core/execa-executor';
import { Deadline } from '../../core/deadline';
import { createLogger } from '../../core/log';
import { CHECKS, runChecks } from './checks';
import { collectFacts } from './collect';
import { exitCodeFor, renderText, sortFindings } from './findings';

export interface DoctorArgs {
  json: boolean;
  strict: boolean;
  root: string;
  timeout: number;
  iface?: string;
  'udev-config': string;
  verbose: boolean;
}

export async function runDoctor(args: DoctorArgs, out: (text: string) => void = (t) => process.stdout.write(t)): Promise<number> {
  const log = createLogger({ tag: 'ocfkit doctor', debug: args.verbose, stderr: (line) => process.stderr.write(`${line}\n`) });
  // every command is bounded by --timeout; the whole run by a little more, so nothing hangs
  const exec = createExecaExecutor(log, new Deadline(args.timeout * 1000 * 3 + 5000));
  const facts = await collectFacts(exec, {
    root: args.root,
    timeoutMs: args.timeout * 1000,
    ...(args.iface ? { iface: args.iface } : {}),
    udevConfig: args['udev-config'],
    version,
  });
  const findings = sortFindings(runChecks(facts));
  const checked = Object.keys(CHECKS);
  out(args.json ? `${JSON.stringify({ node: facts.self, findings, checked }, null, 2)}\n` : renderText(findings, checked));
  log.flush();
  return exitCodeFor(findings, args.strict);
}
