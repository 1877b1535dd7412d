// Must be imported before anything loads uvu: uvu decides at load time whether it runs suites by
// itself (a timer) or waits for exec() from a driver (UVU_DEFER, the protocol uvu's own CLI uses).
(globalThis as { UVU_DEFER?: number }).UVU_DEFER = 1;
export {};
