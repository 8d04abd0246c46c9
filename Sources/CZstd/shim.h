// Zstandard's C library for Publica (the system's). Only PublicaParquet imports this.
#include <zstd.h>
