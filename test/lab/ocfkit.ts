// ocfkit as the scenarios use it inside the guests (a private copy of the host's dist/ocfkit).
import { OCFKIT } from './drbd';
import type { Lab } from './lab';
import type { Report } from './report';

/** `ocfkit hooks install` on both nodes (Debian ifupdown: /etc/network/if-up.d/). */
export async function installHooks(lab: Lab, report: Report): Promise<boolean> {
  let ok = true;
  for (const guest of lab.guests) {
    const result = await guest.sh(`${OCFKIT} hooks install && ls -l /etc/network/if-up.d/`);
    ok = report.check(result.code === 0, `${guest.name}: ocfkit hooks install`, oneLine(result.output, result.code)) && ok;
  }
  return ok;
}

export function oneLine(output: string, code: number): string {
  const text = output.trim().split('\n').filter(Boolean).slice(-4).join(' | ');
  return `exit ${code}${text ? `: ${text}` : ''}`;
}
