/** OCF exit codes (OCF 1.1 resource-agent API plus Pacemaker's degraded codes). */
export enum OcfExit {
  SUCCESS = 0,
  ERR_GENERIC = 1,
  ERR_ARGS = 2,
  ERR_UNIMPLEMENTED = 3,
  ERR_PERM = 4,
  ERR_INSTALLED = 5,
  ERR_CONFIGURED = 6,
  NOT_RUNNING = 7,
  RUNNING_PROMOTED = 8,
  FAILED_PROMOTED = 9,
  /** running but not healthy: Pacemaker treats it as success and shows it as degraded */
  DEGRADED = 190,
  DEGRADED_PROMOTED = 191,
}

export function exitName(code: number): string {
  return OcfExit[code] ?? `exit ${code}`;
}
