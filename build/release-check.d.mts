// Types for build/release-check.mjs.
export function versionMismatches(reported: Array<{ name: string; version: string }>, expected: string): string[];
