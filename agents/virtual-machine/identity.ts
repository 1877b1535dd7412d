// Which guest this resource is: explicit name/uuid parameters, else read from the config file.
// The identity found is remembered in a small file on this node (tmpfs), so that "is it running
// here?" can still be answered when the config file later becomes unreadable (shared storage not
// mounted: resource-agents #856/#1231).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigurationError, NotInstalledError } from '../core/errors';
import { readIfExists, writeFileAtomic } from '../core/files';
import type { DomainRef } from './backend';
import { isUuid, normalizeUuid, parseLibvirtXml, type GuestFacts } from './libvirt-xml';
import { parseXlConfig, xlGuestFacts, XlSyntaxError } from './xl-config';

export interface IdentityParams {
  config?: string | undefined;
  name?: string | undefined;
  uuid?: string | undefined;
  backend: 'libvirt' | 'xl';
}

export interface Identity {
  ref: DomainRef;
  /** facts from the config file, when it could be read */
  facts?: GuestFacts;
}

/** Parses a config file's text for the given backend; errors name the file (and line for xl). */
export function guestFactsFromText(text: string, file: string, backend: 'libvirt' | 'xl'): GuestFacts {
  try {
    return backend === 'xl' ? xlGuestFacts(parseXlConfig(text)) : parseLibvirtXml(text);
  } catch (error) {
    const where = error instanceof XlSyntaxError ? `${file}:${error.line}` : file;
    throw new ConfigurationError(
      `config ${where}: ${error instanceof XlSyntaxError ? error.message.replace(/^line \d+: /, '') : (error as Error).message}`,
      'config',
    );
  }
}

export function readGuestFacts(file: string, backend: 'libvirt' | 'xl'): GuestFacts {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    // Not ERR_CONFIGURED: the file may sit on storage that is mounted on another node only.
    throw new NotInstalledError(`config file ${file} cannot be read here (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, 'config');
  }
  return guestFactsFromText(text, file, backend);
}

/** Pure combination of parameters and config facts. */
function combineIdentity(params: IdentityParams, facts: GuestFacts | undefined): DomainRef {
  const ref: DomainRef = {};
  const name = params.name ?? facts?.name;
  const uuid = params.uuid ? normalizeUuid(params.uuid) : facts?.uuid;
  if (params.name && facts?.name && params.name !== facts.name) {
    throw new ConfigurationError(`parameter name="${params.name}" differs from the name "${facts.name}" in ${params.config}`, 'name');
  }
  if (params.uuid && facts?.uuid && normalizeUuid(params.uuid) !== facts.uuid) {
    throw new ConfigurationError(`parameter uuid="${params.uuid}" differs from the UUID ${facts.uuid} in ${params.config}`, 'uuid');
  }
  if (name) ref.name = name;
  if (uuid) ref.uuid = uuid;
  if (!ref.name && !ref.uuid)
    throw new ConfigurationError(`cannot identify the guest: ${params.config} has no name or UUID, and neither parameter name nor uuid is set`, 'config');
  return ref;
}

/**
 * The identity for an action. The config file is read whenever it can be, so that every action
 * names the guest alike (the lease file is named after it) and sees its disks. `needConfig`
 * (start) requires the file; for the other actions explicit name/uuid parameters answer when the
 * file cannot be read or does not agree (the file may sit on storage not mounted here).
 */
export function resolveIdentity(params: IdentityParams, needConfig: boolean): Identity {
  if (params.uuid !== undefined && !isUuid(params.uuid)) throw new ConfigurationError(`parameter uuid="${params.uuid}" is not a UUID`, 'uuid');
  if (!params.config) return { ref: combineIdentity(params, undefined) };
  const explicit = Boolean(params.name || params.uuid);
  try {
    const facts = factsOnce(params, params.config);
    return { ref: combineIdentity(params, facts), facts };
  } catch (error) {
    if (needConfig || !explicit) throw error;
    return { ref: combineIdentity(params, undefined) };
  }
}

// The runner hands validate and the action the same parameters object: read the file once per
// action (a failed read is remembered too, so it is reported alike both times).
const factsRead = new WeakMap<object, { facts?: GuestFacts; error?: unknown }>();
function factsOnce(params: IdentityParams, file: string): GuestFacts {
  let read = factsRead.get(params);
  if (!read) {
    try {
      read = { facts: readGuestFacts(file, params.backend) };
    } catch (error) {
      read = { error };
    }
    factsRead.set(params, read);
  }
  if (read.error !== undefined) throw read.error;
  return read.facts!;
}

// ---- remembered identity ---------------------------------------------------------------------
function rememberedFile(stateDir: string, instance: string): string {
  return path.join(stateDir, `${instance.replace(/[^A-Za-z0-9_.-]/g, '_')}.identity`);
}

export function readRemembered(stateDir: string, instance: string): DomainRef | undefined {
  try {
    // a symlink planted in its place is refused, not followed (and reads as nothing remembered)
    const text = readIfExists(rememberedFile(stateDir, instance));
    if (text === undefined) return undefined;
    const data = JSON.parse(text) as DomainRef;
    const ref: DomainRef = {};
    if (typeof data.name === 'string') ref.name = data.name;
    if (typeof data.uuid === 'string') ref.uuid = data.uuid;
    return ref.name || ref.uuid ? ref : undefined;
  } catch {
    return undefined;
  }
}

export function remember(stateDir: string, instance: string, ref: DomainRef): void {
  const text = JSON.stringify({ name: ref.name, uuid: ref.uuid }) + '\n';
  const file = rememberedFile(stateDir, instance);
  try {
    if (readIfExists(file) === text) return;
  } catch {
    // not remembered yet
  }
  writeFileAtomic(file, text, 0o600);
}

/**
 * The identity for monitor and stop: like resolveIdentity, but when the config file cannot be
 * read, the identity remembered at the last start/monitor on this node answers or completes the
 * explicit parameters, so that the guest keeps the name it had at start.
 */
export function identityForCheck(params: IdentityParams & { state_dir: string }, instance: string, warn: (m: string) => void): Identity {
  try {
    const identity = resolveIdentity(params, false);
    if (identity.facts) return identity;
    const remembered = readRemembered(params.state_dir, instance);
    const { ref } = identity;
    if (remembered && ((ref.uuid && remembered.uuid === ref.uuid) || (ref.name && remembered.name === ref.name))) {
      return { ref: { ...remembered, ...ref } };
    }
    return identity;
  } catch (error) {
    if (!(error instanceof NotInstalledError)) throw error;
    const remembered = readRemembered(params.state_dir, instance);
    if (!remembered) throw error;
    warn(`${error.message}; using the identity remembered on this node: ${remembered.name ?? ''} ${remembered.uuid ?? ''}`.trim());
    return { ref: remembered };
  }
}
