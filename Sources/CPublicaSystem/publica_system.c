#define _GNU_SOURCE
#include "publica_system.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

int publica_rename_exchange(const char *from, const char *to) {
#if defined(__linux__) && defined(SYS_renameat2)
    return (int)syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, 2 /* RENAME_EXCHANGE */);
#else
    errno = ENOSYS;
    return -1;
#endif
}

int publica_start_writeback(int fd, long long offset, long long length) {
#if defined(__linux__)
    return sync_file_range(fd, (off_t)offset, (off_t)length, SYNC_FILE_RANGE_WRITE);
#else
    (void)fd; (void)offset; (void)length;
    return 0;
#endif
}

int publica_set_direct_io(int fd, int on) {
#if defined(__linux__)
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0) return -1;
    return fcntl(fd, F_SETFL, on ? (flags | O_DIRECT) : (flags & ~O_DIRECT));
#else
    (void)fd; (void)on;
    errno = ENOTSUP;
    return -1;
#endif
}

int publica_is_direct_io(int fd) {
#if defined(__linux__)
    int flags = fcntl(fd, F_GETFL);
    return flags >= 0 && (flags & O_DIRECT) != 0;
#else
    (void)fd;
    return 0;
#endif
}

#include <signal.h>
#include <string.h>

static volatile sig_atomic_t termination_signal = 0;

static void note_termination(int signal_number) {
    termination_signal = signal_number;
    // A second signal ends the process at once (SA_RESETHAND restored the default).
}

void publica_catch_termination(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = note_termination;
    action.sa_flags = SA_RESETHAND;
    sigemptyset(&action.sa_mask);
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGHUP, &action, NULL);
}

int publica_termination_signal(void) {
    return termination_signal;
}

int publica_open_unnamed(const char *directory, int mode) {
#if defined(__linux__) && defined(O_TMPFILE)
    return open(directory, O_TMPFILE | O_WRONLY | O_CLOEXEC, (mode_t)mode);
#else
    (void)directory; (void)mode;
    errno = EOPNOTSUPP;
    return -1;
#endif
}

int publica_open_unnamed_rw(const char *directory) {
#if defined(__linux__) && defined(O_TMPFILE)
    return open(directory, O_TMPFILE | O_RDWR | O_CLOEXEC, (mode_t)0600);
#else
    (void)directory;
    errno = EOPNOTSUPP;
    return -1;
#endif
}

int publica_link_unnamed(int fd, const char *path) {
#if defined(__linux__)
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    return linkat(AT_FDCWD, proc, AT_FDCWD, path, AT_SYMLINK_FOLLOW);
#else
    (void)fd; (void)path;
    errno = ENOTSUP;
    return -1;
#endif
}

int publica_is_mount_root(const char *path) {
#if defined(__linux__) && defined(STATX_ATTR_MOUNT_ROOT)
    struct statx info;
    if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &info) != 0) return -1;
    if (!(info.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT)) return -1;
    return (info.stx_attributes & STATX_ATTR_MOUNT_ROOT) ? 1 : 0;
#else
    (void)path;
    return -1;
#endif
}

static void check_stdout(void) {
    errno = 0;
    int failed = fflush(stdout) != 0 || ferror(stdout);
    int reason = errno != 0 ? errno : EIO;
    if (!failed) return;
    dprintf(2, "publica: error: cannot write to standard output: %s\n", strerror(reason));
    _exit(1);
}

void publica_check_stdout_at_exit(void) {
    static int registered = 0;
    if (!registered) {
        registered = 1;
        atexit(check_stdout);
    }
}
