// CRC-32 (the zip and zlib polynomial, reflected 0xEDB88320) by slicing-by-8: eight table
// look-ups per 8 bytes instead of one per byte. A workbook's sheet is checked as it is inflated,
// so this runs over every inflated byte (ZIPFoundation's own check on Linux goes byte by byte).
#include "publica_system.h"
#include <pthread.h>
#include <string.h>

static uint32_t table[8][256];
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static void make_table(void) {
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[0][n] = c;
    }
    for (uint32_t n = 0; n < 256; n++) {
        for (int s = 1; s < 8; s++) table[s][n] = (table[s - 1][n] >> 8) ^ table[0][table[s - 1][n] & 0xFF];
    }
}

uint32_t publica_crc32(uint32_t crc, const uint8_t *data, size_t length) {
    pthread_once(&table_once, make_table);
    crc = ~crc;
    while (length >= 8) {
        uint32_t low, high;
        memcpy(&low, data, 4);
        memcpy(&high, data + 4, 4);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        low = __builtin_bswap32(low);
        high = __builtin_bswap32(high);
#endif
        low ^= crc;
        crc = table[7][low & 0xFF] ^ table[6][(low >> 8) & 0xFF] ^ table[5][(low >> 16) & 0xFF]
            ^ table[4][low >> 24] ^ table[3][high & 0xFF] ^ table[2][(high >> 8) & 0xFF]
            ^ table[1][(high >> 16) & 0xFF] ^ table[0][high >> 24];
        data += 8;
        length -= 8;
    }
    while (length--) crc = table[0][(crc ^ *data++) & 0xFF] ^ (crc >> 8);
    return ~crc;
}
