// arbor-launch: confines a process before it starts, then execs it. Applied here rather than from
// inside node because Landlock and setuid only bind the calling thread and its future children:
// once node runs, libuv's and V8's threads already exist and would escape a late restriction.
//
//   arbor-launch [--uid N --gid N] [--ro PATH]... [--rw PATH]... [--rox PATH]... [--no-landlock] -- PROGRAM ARGS...
//   arbor-launch --probe          prints the Landlock ABI version (or -errno) and exits
//   arbor-launch --uid N --gid N --check [--exec PROGRAM] [--] PATH...
//                                 as uid N, tries to open each PATH for reading (and PROGRAM for
//                                 execution) and prints "errno path" for each one that fails
//
// Order: open PROGRAM and every Landlock rule path (still as the caller), drop privileges
// (setgroups/setgid/setuid), no_new_privs, no core files, Landlock (read-only: only the listed
// paths; no TCP bind/connect; signals and abstract unix sockets scoped to this process), exec
// PROGRAM through its descriptor. Opening first is what lets Node and the rule paths live under a
// directory the unprivileged uid cannot traverse (a private home with nvm, `npx -p node@N`): the
// uid drop then only needs execute permission on the binary itself, not on its ancestors.
// Any requested step that fails is fatal (exit 126): the daemon only asks for what its probe
// found available, so a failure here is never silent.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char** environ;

#ifndef SYS_faccessat2
#define SYS_faccessat2 439
#endif

// Landlock UAPI, defined here so old distribution headers do not matter.
#define LL_CREATE_RULESET_VERSION (1U << 0)
#define LL_RULE_PATH_BENEATH 1
#define LL_FS_EXECUTE (1ULL << 0)
#define LL_FS_WRITE_FILE (1ULL << 1)
#define LL_FS_READ_FILE (1ULL << 2)
#define LL_FS_READ_DIR (1ULL << 3)
#define LL_FS_ABI1_ALL ((1ULL << 13) - 1) /* execute .. make_sym */
// --rw: write, create and remove regular files and directories (no devices, sockets, fifos, symlinks).
#define LL_FS_RW_EXTRA (LL_FS_WRITE_FILE | (1ULL << 4) | (1ULL << 5) | (1ULL << 7) | (1ULL << 8))
#define LL_FS_REFER (1ULL << 13)          /* ABI 2 */
#define LL_FS_TRUNCATE (1ULL << 14)       /* ABI 3 */
#define LL_FS_IOCTL_DEV (1ULL << 15)      /* ABI 5 */
#define LL_NET_BIND_TCP (1ULL << 0)       /* ABI 4 */
#define LL_NET_CONNECT_TCP (1ULL << 1)
#define LL_SCOPE_ABSTRACT_UNIX (1ULL << 0) /* ABI 6 */
#define LL_SCOPE_SIGNAL (1ULL << 1)

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#define SYS_landlock_add_rule 445
#define SYS_landlock_restrict_self 446
#endif

struct ll_ruleset_attr {
  uint64_t handled_access_fs;
  uint64_t handled_access_net;
  uint64_t scoped;
};

struct ll_path_beneath {
  uint64_t allowed_access;
  int32_t parent_fd;
} __attribute__((packed));

#define MAX_PATHS 64

static void die(const char* what) {
  fprintf(stderr, "arbor-launch: %s: %s\n", what, strerror(errno));
  exit(126);
}

static long landlock_abi(void) {
  long v = syscall(SYS_landlock_create_ruleset, NULL, 0, LL_CREATE_RULESET_VERSION);
  return v >= 0 ? v : -errno;
}

static void add_path(int ruleset, const char* path, uint64_t access, uint64_t handled) {
  int fd = open(path, O_PATH | O_CLOEXEC);
  if (fd < 0) {
    // A path that does not exist grants nothing; say so and go on.
    fprintf(stderr, "arbor-launch: skipping %s: %s\n", path, strerror(errno));
    return;
  }
  struct stat st;
  if (fstat(fd, &st) != 0) die("fstat");
  // Rights that only make sense on directories cannot be granted on a file.
  if (!S_ISDIR(st.st_mode)) access &= LL_FS_EXECUTE | LL_FS_READ_FILE;
  struct ll_path_beneath rule = {.allowed_access = access & handled, .parent_fd = fd};
  if (syscall(SYS_landlock_add_rule, ruleset, LL_RULE_PATH_BENEATH, &rule, 0) != 0) die(path);
  close(fd);
}

// Builds the ruleset while the caller's privileges still let us open every rule path; it is
// enforced (landlock_restrict_self) only after the uid drop and no_new_privs.
static int prepare_landlock(char** ro, int nro, char** rw, int nrw, char** rox, int nrox) {
  long abi = landlock_abi();
  if (abi < 1) {
    errno = (int)-abi;
    die("landlock unavailable");
  }
  struct ll_ruleset_attr attr = {0};
  attr.handled_access_fs = LL_FS_ABI1_ALL;
  if (abi >= 2) attr.handled_access_fs |= LL_FS_REFER;
  if (abi >= 3) attr.handled_access_fs |= LL_FS_TRUNCATE;
  if (abi >= 5) attr.handled_access_fs |= LL_FS_IOCTL_DEV;
  size_t size = sizeof attr.handled_access_fs;
  if (abi >= 4) {
    attr.handled_access_net = LL_NET_BIND_TCP | LL_NET_CONNECT_TCP;
    size = 2 * sizeof(uint64_t);
  }
  if (abi >= 6) {
    attr.scoped = LL_SCOPE_ABSTRACT_UNIX | LL_SCOPE_SIGNAL;
    size = sizeof attr;
  }
  int ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, size, 0);
  if (ruleset < 0) die("landlock_create_ruleset");
  uint64_t read = LL_FS_READ_FILE | LL_FS_READ_DIR;
  for (int i = 0; i < nro; i++) add_path(ruleset, ro[i], read, attr.handled_access_fs);
  for (int i = 0; i < nrw; i++) add_path(ruleset, rw[i], read | LL_FS_RW_EXTRA | LL_FS_REFER | LL_FS_TRUNCATE, attr.handled_access_fs);
  for (int i = 0; i < nrox; i++) add_path(ruleset, rox[i], read | LL_FS_EXECUTE, attr.handled_access_fs);
  return ruleset;
}

static void drop_privileges(long uid, long gid) {
  if (setgroups(0, NULL) != 0) die("setgroups");
  if (setresgid((gid_t)gid, (gid_t)gid, (gid_t)gid) != 0) die("setresgid");
  if (setresuid((uid_t)uid, (uid_t)uid, (uid_t)uid) != 0) die("setresuid");
  if (setuid(0) == 0) {
    errno = EPERM;
    die("privileges were not dropped");
  }
}

static void set_limit(int resource, rlim_t value, const char* what) {
  struct rlimit rl = {value, value};
  if (setrlimit(resource, &rl) != 0) die(what);
}

// Whether the current credentials may execute the file behind fd (faccessat2 where the kernel
// has it, else the mode bits: owner, group, others).
static int can_execute(int fd) {
  if (syscall(SYS_faccessat2, fd, "", X_OK, AT_EMPTY_PATH) == 0) return 0;
  if (errno != ENOSYS && errno != EINVAL) return errno;
  struct stat st;
  if (fstat(fd, &st) != 0) return errno;
  mode_t bit = st.st_uid == geteuid() ? S_IXUSR : st.st_gid == getegid() ? S_IXGRP : S_IXOTH;
  return (st.st_mode & bit) ? 0 : EACCES;
}

// --check: what the unprivileged uid can reach by path, so the daemon knows whether the
// executor's files must be staged somewhere it can read them.
static int check(long uid, long gid, const char* program, char** paths, int npaths) {
  int exec_fd = -1;
  if (program && (exec_fd = open(program, O_PATH | O_CLOEXEC)) < 0) die(program);
  if (uid >= 0) drop_privileges(uid, gid >= 0 ? gid : uid);
  if (exec_fd >= 0) {
    int e = can_execute(exec_fd);
    if (e != 0) printf("%d %s\n", e, program);
  }
  for (int i = 0; i < npaths; i++) {
    int fd = open(paths[i], O_RDONLY | O_CLOEXEC);
    if (fd < 0) printf("%d %s\n", errno, paths[i]);
    else close(fd);
  }
  return fflush(stdout) == 0 ? 0 : 1;
}

int main(int argc, char** argv) {
  char* ro[MAX_PATHS];
  char* rw[MAX_PATHS];
  char* rox[MAX_PATHS];
  int nro = 0, nrw = 0, nrox = 0, landlock = 1, checking = 0, i = 1;
  long uid = -1, gid = -1;
  const char* check_exec = NULL;
  for (; i < argc; i++) {
    if (strcmp(argv[i], "--probe") == 0) {
      printf("%ld\n", landlock_abi());
      return 0;
    } else if (strcmp(argv[i], "--") == 0) {
      i++;
      break;
    } else if (strcmp(argv[i], "--check") == 0) {
      checking = 1;
    } else if (checking && i + 1 < argc && strcmp(argv[i], "--exec") == 0) {
      check_exec = argv[++i];
    } else if (checking && argv[i][0] != '-') {
      break;
    } else if (strcmp(argv[i], "--no-landlock") == 0) {
      landlock = 0;
    } else if (i + 1 < argc && strcmp(argv[i], "--uid") == 0) {
      uid = strtol(argv[++i], NULL, 10);
    } else if (i + 1 < argc && strcmp(argv[i], "--gid") == 0) {
      gid = strtol(argv[++i], NULL, 10);
    } else if (i + 1 < argc && strcmp(argv[i], "--ro") == 0 && nro < MAX_PATHS) {
      ro[nro++] = argv[++i];
    } else if (i + 1 < argc && strcmp(argv[i], "--rw") == 0 && nrw < MAX_PATHS) {
      rw[nrw++] = argv[++i];
    } else if (i + 1 < argc && strcmp(argv[i], "--rox") == 0 && nrox < MAX_PATHS) {
      rox[nrox++] = argv[++i];
    } else {
      fprintf(stderr, "arbor-launch: bad argument %s\n", argv[i]);
      return 2;
    }
  }
  if (checking) return check(uid, gid, check_exec, &argv[i], argc - i);
  if (i >= argc) {
    fprintf(stderr, "usage: arbor-launch [--uid N --gid N] [--ro PATH]... [--rw PATH]... [--rox PATH]... -- PROGRAM ARGS...\n");
    return 2;
  }
  // Everything that is opened by path happens here, with the caller's privileges.
  int exec_fd = open(argv[i], O_PATH | O_CLOEXEC);
  if (exec_fd < 0) die(argv[i]);
  int ruleset = landlock ? prepare_landlock(ro, nro, rw, nrw, rox, nrox) : -1;
  if (uid >= 0) drop_privileges(uid, gid >= 0 ? gid : uid);
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) die("prctl(PR_SET_NO_NEW_PRIVS)");
  set_limit(RLIMIT_CORE, 0, "setrlimit(RLIMIT_CORE)");
  if (ruleset >= 0) {
    if (syscall(SYS_landlock_restrict_self, ruleset, 0) != 0) die("landlock_restrict_self");
    close(ruleset);
  }
  // Through the descriptor: the kernel checks execute permission on the binary, not search
  // permission on the directories above it.
  syscall(SYS_execveat, exec_fd, "", &argv[i], environ, AT_EMPTY_PATH);
  die(argv[i]);
  return 126;
}
