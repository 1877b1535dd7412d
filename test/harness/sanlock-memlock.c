/*
 * LD_PRELOAD for the sanlock integration suite: sanlock's daemon raises RLIMIT_MEMLOCK to
 * unlimited at start and exits when it may not ("cannot set the limits for memlock 1"). Test
 * machines whose root lacks CAP_SYS_RESOURCE (containers, some VMs) cannot raise the hard limit,
 * so a setrlimit refused with EPERM is reported as done and the daemon keeps the limit it has
 * (it is started with -l 0: it locks no memory). Every other call and error passes through.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <sys/resource.h>

int setrlimit(__rlimit_resource_t resource, const struct rlimit *rlim) {
  static int (*real)(__rlimit_resource_t, const struct rlimit *);
  if (!real) real = (int (*)(__rlimit_resource_t, const struct rlimit *))dlsym(RTLD_NEXT, "setrlimit");
  int rv = real(resource, rlim);
  if (rv < 0 && errno == EPERM) {
    errno = 0;
    return 0;
  }
  return rv;
}
