// Every network stack ocfkit writes hooks for. The mapped type makes the registry exhaustive:
// a StackName without a module here does not compile.
import { ifupdown } from './ifupdown';
import { networkdDispatcher } from './networkd-dispatcher';
import { networkmanager } from './networkmanager';
import { rhelInitscripts } from './rhel-initscripts';
import { suseSysconfig } from './suse-sysconfig';
import type { StackModule, StackName } from './types';
import { STACK_NAMES } from './types';
import { wicked } from './wicked';

export const STACKS: { [N in StackName]: StackModule<N> } = {
  ifupdown,
  'suse-sysconfig': suseSysconfig,
  wicked,
  'rhel-initscripts': rhelInitscripts,
  networkmanager,
  'networkd-dispatcher': networkdDispatcher,
};

export function allStacks(): StackModule[] {
  return STACK_NAMES.map((name) => STACKS[name] as StackModule);
}
