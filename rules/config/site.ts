// The site config, /etc/ocfkit/ocfkit.yaml: one file for every host-config generator. Each area
// owns one top-level section; add yours to SECTIONS. Unknown top-level keys are errors with their
// position, so a misspelt section is never silently ignored.
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, type Node } from 'yaml';
import { ConfigError } from './errors';
import { integer, object, type Ctx } from './schema';
import { BLOCK_SECTION, type BlockSection } from './block';

import { DEFAULT_CONFIG } from './defaults';

/** The format version this ocfkit reads. */
const CONFIG_VERSION = 1;

const SECTIONS = object(
  {
    version: { schema: integer(CONFIG_VERSION, CONFIG_VERSION) },
    block: { schema: BLOCK_SECTION },
  },
  { expected: 'a mapping of sections (version, block)' },
);

export interface SiteConfig {
  file: string;
  block: BlockSection;
}

/** Parses config text; `file` is only used in messages and in generated headers. */
export function parseSiteConfig(text: string, file: string): SiteConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, strict: true });
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    const { line, col } = lines.linePos(problem.pos[0]);
    throw new ConfigError(file, { line, col }, `invalid YAML: ${problem.message.split('\n')[0]}`);
  }
  const ctx: Ctx = { file, lines };
  const root = doc.contents as Node | null;
  const isEmpty = root === null || (root as { value?: unknown }).value === null;
  const sections = isEmpty ? {} : SECTIONS.read(ctx, root, '');
  return { file, block: sections.block ?? { devices: [] } };
}

export function loadSiteConfig(file: string = DEFAULT_CONFIG): SiteConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      file,
      undefined,
      code === 'ENOENT' ? 'no such file (write one from the documented example, ocfkit.example.yaml)' : `cannot read: ${(error as Error).message}`,
    );
  }
  return parseSiteConfig(text, file);
}
