// The network stacks ocfkit writes "interface up" hooks for. Each stack is one module registered in
// registry.ts; the registry's type is a mapped type over StackName, so adding a name here does not
// compile until its module exists, and every switch over StackName ends in assertNever.

export const STACK_NAMES = ['ifupdown', 'suse-sysconfig', 'wicked', 'rhel-initscripts', 'networkmanager', 'networkd-dispatcher'] as const;
export type StackName = (typeof STACK_NAMES)[number];

export function isStackName(value: string): value is StackName {
  return (STACK_NAMES as readonly string[]).includes(value);
}

export interface HookScriptOptions {
  /** absolute path of the ocfkit executable the hook calls */
  ocfkit: string;
  /** ocfkit version written into the header */
  version: string;
}

export interface GeneratedFile {
  /** absolute path on the node, e.g. /etc/network/if-up.d/ocfkit-drbd-reconnect */
  path: string;
  content: string;
  mode: number;
}

/** What a look at a node's root file system shows about one stack. */
export interface StackEvidence {
  /** 'active': configured or enabled for use; 'installed': only the programs are there */
  strength: 'active' | 'installed';
  reasons: string[];
  /** the stack configures this interface (when the caller asked about one) */
  configuresIface?: boolean;
}

/** Read-only view of a node's file system below --root; paths are absolute node paths. */
export interface RootProbe {
  exists(nodePath: string): boolean;
  isDir(nodePath: string): boolean;
  read(nodePath: string): string | undefined;
  list(nodeDir: string): string[];
}

export interface StackModule<N extends StackName = StackName> {
  name: N;
  /** one line for listings */
  title: string;
  files(options: HookScriptOptions): GeneratedFile[];
  /** what the admin still has to do or know (printed by generate and install) */
  notes(options: HookScriptOptions & { iface?: string }): string[];
  detect(probe: RootProbe, iface?: string): StackEvidence | undefined;
}
