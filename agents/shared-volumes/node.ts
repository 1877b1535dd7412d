import { hostname } from 'node:os';
import type { OcfEnvironment } from '../ocf/environment';

/** This node's name as Pacemaker uses it in notify unames: CRM_meta_on_node, else uname -n. */
export function thisNode(env: OcfEnvironment): string {
  return env.onNode ?? hostname();
}
