/* Checksums: table-driven four bits at a time, so the tables stay small and in flash. */
#include "crc.h"

/* crc32 of each nibble value, reflected polynomial 0xEDB88320 */
static const uint32_t CRC32_NIBBLE[16] = {
    0x00000000u, 0x1DB71064u, 0x3B6E20C8u, 0x26D930ACu, 0x76DC4190u, 0x6B6B51F4u, 0x4DB26158u, 0x5005713Cu,
    0xEDB88320u, 0xF00F9344u, 0xD6D6A3E8u, 0xCB61B38Cu, 0x9B64C2B0u, 0x86D3D2D4u, 0xA00AE278u, 0xBDBDF21Cu,
};

uint32_t crc32(const void *data, size_t length)
{
    const uint8_t *p = data;
    uint32_t c = 0xFFFFFFFFu;
    while (length--) {
        c ^= *p++;
        c = (c >> 4) ^ CRC32_NIBBLE[c & 15u];
        c = (c >> 4) ^ CRC32_NIBBLE[c & 15u];
    }
    return ~c;
}

uint8_t crc8_stpm(const uint8_t *data, size_t length)
{
    uint8_t c = 0;
    while (length--) {
        c ^= *data++;
        for (int i = 0; i < 8; i++) {
            c = (uint8_t)((c & 0x80u) ? ((unsigned)c << 1) ^ 0x07u : (unsigned)c << 1);
        }
    }
    return c;
}
