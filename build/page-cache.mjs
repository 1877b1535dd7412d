// Drops a file's pages from the page cache (GNU dd's nocache flag, posix_fadvise DONTNEED), so that
// the next run reads it back as a host does after a reboot. A file written with one large write, as
// pkg writes the executable, sits in large page-cache folios and every page fault maps a whole
// folio: the freshly built executable then shows about 17 MiB more resident memory than the same
// file read back from disk or copied by cp or `ocfkit install`. The build drops the executable's
// pages once it is written (build/sea.mjs), and the benchmarks before they measure, so that their
// figures do not depend on what touched the file last.
import { spawnSync } from 'node:child_process';

export function dropPageCache(file) {
  const r = spawnSync('dd', [`if=${file}`, 'iflag=nocache', 'count=0', 'status=none'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cannot drop the page cache of ${file}: ${r.stderr}`);
}
