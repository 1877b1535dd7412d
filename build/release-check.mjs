// The release's version rule, apart from running anything (build/release.mjs runs the artifacts):
// every artifact must report exactly package.json's version.

/**
 * reported: [{ name, version }] as each artifact printed it for --version.
 * Returns one line per artifact that does not report `expected`; empty when all do.
 */
export function versionMismatches(reported, expected) {
  if (!reported.length) return ['no artifacts were built'];
  return reported
    .filter((artifact) => artifact.version !== expected)
    .map((artifact) => `${artifact.name} reports --version "${artifact.version}", package.json says ${expected}`);
}
