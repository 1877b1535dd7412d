// Where ocfkit lives on a node by default: the install prefix, the OCF root its agent symlinks go
// to, and the executable that hooks and docs point at.
import path from 'node:path';

export const DEFAULT_PREFIX = '/usr';
export const DEFAULT_OCF_ROOT = '/usr/lib/ocf';
/** Where `ocfkit install` puts the executable by default, and where hooks and docs expect it. */
export const DEFAULT_EXECUTABLE = path.join(DEFAULT_PREFIX, 'sbin', 'ocfkit');
