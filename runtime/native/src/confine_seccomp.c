// arbor_confine: the executor's seccomp filter (raw BPF, no libseccomp) and the kernel probes the
// daemon uses to decide which OS layers it can ask for. The filter is a deny-list applied to every
// thread at once (SECCOMP_FILTER_FLAG_TSYNC) after the interpreter has booted: node, V8 and libuv
// keep working, while exec/fork, sockets, file writes, signals to other processes and the kernel's
// big attack surfaces (ptrace, mount, bpf, io_uring, namespaces, modules) answer EPERM/EACCES.
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <node_api.h>

#include "confine_syscalls.h"

#define ARG_LO(i) (offsetof(struct seccomp_data, args) + 8 * (i))
#define RET_ERRNO(e) (SECCOMP_RET_ERRNO | ((e) & SECCOMP_RET_DATA))
#define WRITE_FLAGS (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND)

static int throw_errno(napi_env env, const char* what, int err) {
  char msg[160];
  snprintf(msg, sizeof msg, "%s: %s", what, strerror(err));
  napi_throw_error(env, "ERR_ARBOR_SECCOMP", msg);
  return -1;
}

// Syscalls refused outright (EPERM). clone3 answers ENOSYS so glibc falls back to clone, whose
// flags the filter can see.
static const int DENIED[] = {
    SYS_execve, SYS_execveat, SYS_fork, SYS_vfork,
    SYS_socket, SYS_socketpair, SYS_connect, SYS_bind, SYS_listen, SYS_accept, SYS_accept4,
    SYS_ptrace, SYS_process_vm_readv, SYS_process_vm_writev, SYS_pidfd_open, SYS_pidfd_getfd,
    SYS_pidfd_send_signal, SYS_tkill,
    SYS_mount, SYS_umount2, SYS_pivot_root, SYS_chroot, SYS_unshare, SYS_setns,
    SYS_fsopen, SYS_fsmount, SYS_fsconfig, SYS_move_mount, SYS_open_tree, SYS_fspick,
    // io_uring_enter stays allowed: Node 24's libuv makes a ring (to batch epoll_ctl) before the
    // filter is applied and aborts if it can no longer submit to it. No ring can be made or have
    // buffers registered from here on, so only libuv's own ring, driven by libuv, exists.
    SYS_bpf, SYS_io_uring_setup, SYS_io_uring_register, SYS_perf_event_open,
    SYS_keyctl, SYS_add_key, SYS_request_key, SYS_init_module, SYS_finit_module, SYS_delete_module,
    SYS_kexec_load, SYS_kexec_file_load, SYS_reboot, SYS_swapon, SYS_swapoff, SYS_acct,
    SYS_quotactl, SYS_name_to_handle_at, SYS_open_by_handle_at, SYS_fanotify_init,
    SYS_syslog, SYS_personality, SYS_vhangup, SYS_iopl, SYS_ioperm, SYS_move_pages,
    SYS_sethostname, SYS_setdomainname, SYS_settimeofday, SYS_clock_settime, SYS_adjtimex,
    SYS_clock_adjtime, SYS_setuid, SYS_setgid, SYS_setreuid, SYS_setregid, SYS_setresuid,
    SYS_setresgid, SYS_setgroups, SYS_setfsuid, SYS_setfsgid, SYS_capset,
    // Filesystem writes by path (Landlock refuses them too; this holds without Landlock).
    SYS_creat, SYS_mknod, SYS_mknodat, SYS_unlink, SYS_unlinkat, SYS_rename, SYS_renameat,
    SYS_renameat2, SYS_mkdir, SYS_mkdirat, SYS_rmdir, SYS_link, SYS_linkat, SYS_symlink,
    SYS_symlinkat, SYS_chmod, SYS_fchmod, SYS_fchmodat, SYS_fchmodat2, SYS_chown, SYS_fchown, SYS_lchown,
    SYS_fchownat, SYS_truncate, SYS_utime, SYS_utimes, SYS_utimensat, SYS_futimesat,
    SYS_setxattr, SYS_lsetxattr, SYS_fsetxattr, SYS_removexattr, SYS_lremovexattr,
    SYS_fremovexattr,
};

#define MAX_INSNS 512

typedef struct {
  struct sock_filter insns[MAX_INSNS];
  unsigned short n;
} prog_t;

static void emit(prog_t* p, struct sock_filter f) {
  if (p->n < MAX_INSNS) p->insns[p->n++] = f;
}

// "if nr == syscall: return action" (the accumulator holds nr).
static void deny_nr(prog_t* p, int nr, uint32_t action) {
  emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)nr, 0, 1));
  emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, action));
}

// "if nr == syscall: return (arg_lo(i) == value) ? ALLOW : EPERM", then reload nr.
static void only_self(prog_t* p, int nr, int arg, uint32_t self) {
  emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)nr, 0, 4));
  emit(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(arg)));
  emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, self, 0, 1));
  emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
  emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, RET_ERRNO(EPERM)));
}

// "if nr == syscall: return (arg_lo(i) & mask) ? action : ALLOW".
static void deny_flags(prog_t* p, int nr, int arg, uint32_t mask, uint32_t action) {
  emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)nr, 0, 4));
  emit(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(arg)));
  emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, mask, 0, 1));
  emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, action));
  emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
}

static void build(prog_t* p, uint32_t self, int allow_uffd) {
  p->n = 0;
  emit(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)));
  emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0));
  emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS));
  emit(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)));
  // x32 ABI numbers alias the x86-64 ones with bit 30 set: refuse them all.
  emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000u, 0, 1));
  emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, RET_ERRNO(EPERM)));
  for (size_t i = 0; i < sizeof DENIED / sizeof DENIED[0]; i++) deny_nr(p, DENIED[i], RET_ERRNO(EPERM));
  deny_nr(p, SYS_clone3, RET_ERRNO(ENOSYS));
  deny_nr(p, SYS_openat2, RET_ERRNO(ENOSYS));
  if (!allow_uffd) deny_nr(p, SYS_userfaultfd, RET_ERRNO(EPERM));
  // Threads yes (V8 and libuv start them lazily), new processes no.
  emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone, 0, 4));
  emit(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(0)));
  emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, CLONE_THREAD, 1, 0));
  emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, RET_ERRNO(EPERM)));
  emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
  // Opening for writing: EACCES, like a read-only filesystem.
  deny_flags(p, SYS_open, 1, WRITE_FLAGS, RET_ERRNO(EACCES));
  emit(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)));
  deny_flags(p, SYS_openat, 2, WRITE_FLAGS, RET_ERRNO(EACCES));
  emit(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)));
  // Signals only to this process.
  only_self(p, SYS_kill, 0, self);
  emit(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)));
  only_self(p, SYS_tgkill, 0, self);
  emit(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)));
  only_self(p, SYS_rt_sigqueueinfo, 0, self);
  emit(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)));
  only_self(p, SYS_rt_tgsigqueueinfo, 0, self);
  emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
}

static int get_bool_arg(napi_env env, napi_callback_info info, int* out) {
  size_t argc = 1;
  napi_value argv[1];
  *out = 0;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return -1;
  if (argc < 1) return 0;
  bool b = false;
  if (napi_get_value_bool(env, argv[0], &b) == napi_ok) *out = b ? 1 : 0;
  return 0;
}

// applySeccomp(allowUserfaultfd: boolean): number of BPF instructions installed.
static napi_value apply_seccomp(napi_env env, napi_callback_info info) {
  int allow_uffd = 0;
  if (get_bool_arg(env, info, &allow_uffd) != 0) return NULL;
  static prog_t prog;
  build(&prog, (uint32_t)getpid(), allow_uffd);
  if (prog.n >= MAX_INSNS) {
    napi_throw_error(env, "ERR_ARBOR_SECCOMP", "seccomp program too long");
    return NULL;
  }
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    throw_errno(env, "prctl(PR_SET_NO_NEW_PRIVS)", errno);
    return NULL;
  }
  struct sock_fprog fprog = {.len = prog.n, .filter = prog.insns};
  long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &fprog);
  if (r != 0) {
    if (r > 0) {
      char msg[96];
      snprintf(msg, sizeof msg, "seccomp TSYNC failed: thread %ld could not be synchronized", r);
      napi_throw_error(env, "ERR_ARBOR_SECCOMP", msg);
    } else {
      throw_errno(env, "seccomp(SECCOMP_SET_MODE_FILTER, TSYNC)", errno);
    }
    return NULL;
  }
  napi_value out;
  napi_create_uint32(env, prog.n, &out);
  return out;
}

// seccompSupported(): whether this kernel takes filters (EFAULT on a NULL program means yes).
static napi_value seccomp_supported(napi_env env, napi_callback_info info) {
  long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, NULL);
  napi_value out;
  napi_get_boolean(env, r != 0 && errno == EFAULT, &out);
  return out;
}

// seccompMode(): this process's seccomp mode (0 none, 2 filter).
static napi_value seccomp_mode(napi_env env, napi_callback_info info) {
  napi_value out;
  napi_create_int32(env, prctl(PR_GET_SECCOMP, 0, 0, 0, 0), &out);
  return out;
}

// landlockAbi(): the Landlock ABI version, or -errno when Landlock is unavailable.
static napi_value landlock_abi(napi_env env, napi_callback_info info) {
  long v = syscall(SYS_landlock_create_ruleset, NULL, 0, 1u /* LANDLOCK_CREATE_RULESET_VERSION */);
  napi_value out;
  napi_create_int32(env, v >= 0 ? (int32_t)v : -errno, &out);
  return out;
}


// ---- self-test: each probe returns 0 when the syscall succeeded, else its errno. Used by the
// tests (and only when asked) to see from inside a confined executor that each layer holds.

static int get_string(napi_env env, napi_value v, char* buf, size_t len) {
  size_t n = 0;
  return napi_get_value_string_utf8(env, v, buf, len, &n) == napi_ok ? 0 : -1;
}

static napi_value errno_value(napi_env env, int err) {
  napi_value out;
  napi_create_int32(env, err, &out);
  return out;
}

static napi_value probe_open(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  char path[4096];
  bool write = false;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 2 || get_string(env, argv[0], path, sizeof path) != 0) return NULL;
  napi_get_value_bool(env, argv[1], &write);
  int fd = open(path, write ? (O_WRONLY | O_CREAT | O_CLOEXEC) : (O_RDONLY | O_CLOEXEC), 0600);
  if (fd < 0) return errno_value(env, errno);
  close(fd);
  return errno_value(env, 0);
}

static napi_value probe_connect(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  uint32_t port = 0;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc >= 1) napi_get_value_uint32(env, argv[0], &port);
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return errno_value(env, errno);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int r = connect(fd, (struct sockaddr*)&addr, sizeof addr);
  int err = r == 0 ? 0 : errno;
  close(fd);
  return errno_value(env, err);
}

static napi_value probe_kill(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t pid = 0;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc >= 1) napi_get_value_int32(env, argv[0], &pid);
  return errno_value(env, kill(pid, 0) == 0 ? 0 : errno);
}

static napi_value probe_fork(napi_env env, napi_callback_info info) {
  pid_t child = fork();
  if (child == 0) _exit(0);
  if (child < 0) return errno_value(env, errno);
  int status;
  waitpid(child, &status, 0);
  return errno_value(env, 0);
}

static napi_value probe_exec(napi_env env, napi_callback_info info) {
  // Only ever run where exec is expected to fail; success replaces this process (the test sees it).
  char* const argv[] = {"/bin/true", NULL};
  execve("/bin/true", argv, NULL);
  return errno_value(env, errno);
}

static napi_value probe_uid(napi_env env, napi_callback_info info) {
  return errno_value(env, (int)getuid());
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"applySeccomp", NULL, apply_seccomp, NULL, NULL, NULL, napi_default, NULL},
      {"seccompSupported", NULL, seccomp_supported, NULL, NULL, NULL, napi_default, NULL},
      {"seccompMode", NULL, seccomp_mode, NULL, NULL, NULL, napi_default, NULL},
      {"landlockAbi", NULL, landlock_abi, NULL, NULL, NULL, napi_default, NULL},
      {"probeOpen", NULL, probe_open, NULL, NULL, NULL, napi_default, NULL},
      {"probeConnect", NULL, probe_connect, NULL, NULL, NULL, napi_default, NULL},
      {"probeKill", NULL, probe_kill, NULL, NULL, NULL, napi_default, NULL},
      {"probeFork", NULL, probe_fork, NULL, NULL, NULL, napi_default, NULL},
      {"probeExec", NULL, probe_exec, NULL, NULL, NULL, napi_default, NULL},
      {"probeUid", NULL, probe_uid, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
