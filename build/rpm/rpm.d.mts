// Types for build/rpm/rpm.mjs (the pure parts the unit tests call).
export const SYSTEM_DIRECTORIES: string[];
export const DEBIAN_ONLY: string[];
export function description(control: string): { summary: string; body: string };
export function changelog(text: string): string;
