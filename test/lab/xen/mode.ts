// The Xen mode of the lab (npm run lab -- --xen): the image with Xen, the guests booting the
// hypervisor, and the scenarios run against real xl.
import type { GuestImage } from '../image';
import type { LabOptions } from '../lab';
import type { Scenario } from '../report';
import { xenLabOptions } from './boot';
import { xenImage } from './image';
import { xenCaptureScenario } from './scenarios/capture';
import { xenLifecycleScenario } from './scenarios/lifecycle';
import { xenLintScenario } from './scenarios/lint';
import { xenMigrationScenario } from './scenarios/migration';

export const XEN_SCENARIOS: Scenario[] = [xenLifecycleScenario, xenLintScenario, xenMigrationScenario, xenCaptureScenario];

export async function xenLab(log: (line: string) => void): Promise<{ image: GuestImage; options: LabOptions }> {
  const image = await xenImage(log);
  return { image, options: xenLabOptions(image) };
}
