// SQLite's C library for Publica (the system's, with FTS5). Only PublicaSQLite imports this.
#include <sqlite3.h>

// SQLITE_TRANSIENT is a cast of -1 to a destructor, which Swift cannot import as a constant.
static inline void (*publica_sqlite_transient(void))(void *) { return SQLITE_TRANSIENT; }
