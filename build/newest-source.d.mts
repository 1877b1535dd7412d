// Types for build/newest-source.mjs.
export function distIsStale(root: string, executable?: string): boolean;
