// The driver lives in libFuzzer (linked by -sanitize=fuzzer); this target only declares it.
#include "fuzz_driver.h"
