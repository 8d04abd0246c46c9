#ifndef PUBLICA_SYSTEM_H
#define PUBLICA_SYSTEM_H

/// Atomically exchanges two paths (Linux renameat2 with RENAME_EXCHANGE).
/// Returns 0 on success, -1 with errno set (ENOSYS or EINVAL where unsupported).
int publica_rename_exchange(const char *from, const char *to);

#endif
