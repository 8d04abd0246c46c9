#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver, started from a SwiftPM executable's own entry point (SwiftPM renames
/// an executable's `main`, so libFuzzer's `main` cannot be the entry point).
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
