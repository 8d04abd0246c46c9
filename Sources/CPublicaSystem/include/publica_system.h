#ifndef PUBLICA_SYSTEM_H
#define PUBLICA_SYSTEM_H

#include <stddef.h>
#include <stdint.h>

/// Atomically exchanges two paths (Linux renameat2 with RENAME_EXCHANGE).
/// Returns 0 on success, -1 with errno set (ENOSYS or EINVAL where unsupported).
int publica_rename_exchange(const char *from, const char *to);

/// Starts writing `length` bytes at `offset` of `fd` to disk without waiting (Linux
/// sync_file_range with SYNC_FILE_RANGE_WRITE), so the final fsync has little left to do.
/// Returns 0, or -1 with errno set; a no-op elsewhere.
int publica_start_writeback(int fd, long long offset, long long length);

/// Turns direct I/O (Linux O_DIRECT: writes skip the page cache; buffers, offsets and lengths
/// must be block-aligned) on or off for `fd`. Returns 0, or -1 with errno set where the file
/// system refuses it or elsewhere than Linux.
int publica_set_direct_io(int fd, int on);

/// 1 if `fd` is in direct I/O, else 0.
int publica_is_direct_io(int fd);

/// Catches SIGTERM, SIGINT and SIGHUP once: the signal is only noted, so the run can stop at a
/// safe point and clean up. A second signal of the same kind ends the process at once.
void publica_catch_termination(void);

/// The termination signal caught so far, or 0.
int publica_termination_signal(void);

/// Opens an unnamed regular file in `directory` for writing (Linux O_TMPFILE): it has no name,
/// so a process killed before naming it leaves nothing behind. Returns the descriptor, or -1
/// with errno set where the file system or system does not support it.
int publica_open_unnamed(const char *directory, int mode);

/// Opens an unnamed regular file in `directory` for reading and writing (Linux O_TMPFILE,
/// mode 0600), for spill files that are read back and never named. Returns the descriptor, or
/// -1 with errno set where unsupported.
int publica_open_unnamed_rw(const char *directory);

/// Gives the unnamed file `fd` the name `path` (linkat through /proc/self/fd); fails with
/// EEXIST if `path` exists, never replacing or following anything. Returns 0 or -1.
int publica_link_unnamed(int fd, const char *path);

/// 1 if `path` (a symbolic link not followed) is the root of a mount, a bind mount of a folder
/// of the same file system included (Linux statx, STATX_ATTR_MOUNT_ROOT); 0 if it is not; -1
/// where the system cannot tell (before Linux 5.8, elsewhere), or with errno set.
int publica_is_mount_root(const char *path);

/// At exit, flushes stdio's standard output and, if that or an earlier write to it failed,
/// writes `publica: cannot write to standard output: REASON` to standard error and ends the
/// process with exit status 1 (registered with atexit; once per process).
void publica_check_stdout_at_exit(void);

/// SHA-256: compresses `blocks` 64-byte blocks of `data` into `state` (eight words), with the
/// x86 SHA extensions where the processor has them.
void publica_sha256_blocks(uint32_t state[8], const uint8_t *data, size_t blocks);

/// The same in portable C (what other processors use; tests compare the two).
void publica_sha256_blocks_portable(uint32_t state[8], const uint8_t *data, size_t blocks);

/// 1 if `publica_sha256_blocks` uses the SHA extensions here, else 0.
int publica_sha256_accelerated(void);

/// The CRC-32 of zip and zlib over `length` bytes, continuing from `crc` (0 to start).
uint32_t publica_crc32(uint32_t crc, const uint8_t *data, size_t length);

#endif
