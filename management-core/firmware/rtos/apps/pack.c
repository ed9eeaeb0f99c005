/*
 * Packs a linked application into the loader's image format (loader.c's header): a host tool, run by
 * build.sh.
 *   pack OUT APP.elf TEXT.bin DATA.bin BSS_END GOT_SIZE GOT_BASE ENTRY STACK PRIORITY MANIFEST NAME
 * (BSS_END: the end of bss as an offset in data; GOT_BASE: the start of .got, the GOT origin, as an offset in data)
 * (numbers in any base strtoul takes). APP.elf, linked with --emit-relocs (-Wl,-q), gives the data words the
 * loader must relocate: every R_ARM_ABS32 of .rel.data (pointers in initialised data); the table follows the
 * data in the image. An absolute relocation in the code is refused: the code is not position-independent.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint8_t *slurp(const char *path, uint32_t *size)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "pack: %s: cannot open\n", path);
        exit(2);
    }
    static uint8_t buffer[3][1 << 20];
    static int which;
    uint8_t *b = buffer[which++];
    *size = (uint32_t)fread(b, 1, sizeof buffer[0], f);
    fclose(f);
    return b;
}

static uint32_t get32(const uint8_t *p) { return p[0] | p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }
static uint32_t get16(const uint8_t *p) { return p[0] | (uint32_t)p[1] << 8; }

/* the data offsets of .rel.data's R_ARM_ABS32 entries into table; their count */
static uint32_t data_relocations(const char *path, uint32_t *table, uint32_t max)
{
    uint32_t size;
    const uint8_t *elf = slurp(path, &size);
    if (size < 52 || memcmp(elf, "\177ELF\1\1", 6) != 0) {
        fprintf(stderr, "pack: %s: not a 32-bit little-endian ELF\n", path);
        exit(2);
    }
    uint32_t shoff = get32(elf + 32), shentsize = get16(elf + 46), shnum = get16(elf + 48), shstrndx = get16(elf + 50);
    const uint8_t *strtab_hdr = elf + shoff + shstrndx * shentsize;
    const char *names = (const char *)elf + get32(strtab_hdr + 16);
    uint32_t count = 0;
    for (uint32_t i = 0; i < shnum; i++) {
        const uint8_t *sh = elf + shoff + i * shentsize;
        const char *name = names + get32(sh);
        if (get32(sh + 4) != 9) { /* SHT_REL */
            continue;
        }
        const uint8_t *target = elf + shoff + get32(sh + 28) * shentsize; /* sh_info: the section relocated */
        if (!(get32(target + 8) & 2)) {
            continue; /* not SHF_ALLOC (debug info a library brings): never loaded */
        }
        uint32_t at = get32(sh + 16), bytes = get32(sh + 20);
        for (uint32_t k = 0; k + 8 <= bytes; k += 8) {
            uint32_t offset = get32(elf + at + k), type = get32(elf + at + k + 4) & 0xFF;
            if (type != 2) { /* R_ARM_ABS32 */
                continue;
            }
            if (strcmp(name, ".rel.data") != 0) {
                fprintf(stderr, "pack: %s: an absolute relocation in %s at 0x%x: the code is not position-independent\n",
                        path, name + 4, (unsigned)offset);
                exit(2);
            }
            if (count == max || offset < 0x10000000u || offset % 4 != 0) {
                fprintf(stderr, "pack: %s: relocation at 0x%x not a data word\n", path, (unsigned)offset);
                exit(2);
            }
            table[count++] = offset - 0x10000000u;
        }
    }
    return count;
}

static uint32_t crc32(uint32_t crc, const uint8_t *d, uint32_t n)
{
    crc = ~crc;
    for (uint32_t i = 0; i < n; i++) {
        crc ^= d[i];
        for (int k = 0; k < 8; k++) {
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
        }
    }
    return ~crc;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

int main(int argc, char **argv)
{
    if (argc != 13) {
        fprintf(stderr, "usage: pack OUT APP.elf TEXT.bin DATA.bin BSS_END GOT GOT_BASE ENTRY STACK PRIORITY MANIFEST NAME\n");
        return 2;
    }
    static uint32_t relocations[4096];
    uint32_t count = data_relocations(argv[2], relocations, 4096);
    argv++; /* the rest as before the ELF argument */
    uint32_t text_size, data_size;
    uint8_t *text = slurp(argv[2], &text_size), *data = slurp(argv[3], &data_size);
    uint32_t bss_end = (uint32_t)strtoul(argv[4], NULL, 0);
    if (bss_end < data_size) {
        fprintf(stderr, "pack: bss ends before the data\n");
        return 2;
    }
    uint8_t header[64] = {'R', 'T', 'A', 'P'};
    uint32_t fields[] = {1, text_size, data_size, bss_end - data_size, (uint32_t)strtoul(argv[5], NULL, 0),
                         (uint32_t)strtoul(argv[7], NULL, 0), (uint32_t)strtoul(argv[8], NULL, 0),
                         (uint32_t)strtoul(argv[9], NULL, 0), (uint32_t)strtoul(argv[10], NULL, 0)};
    for (unsigned i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        put32(header + 4 + 4 * i, fields[i]);
    }
    strncpy((char *)header + 40, argv[11], 15);
    uint8_t table[4 + 4 * 4096];
    put32(table, count);
    for (uint32_t i = 0; i < count; i++) {
        put32(table + 4 + 4 * i, relocations[i]);
    }
    uint32_t table_size = 4 + 4 * count;
    put32(header + 56, crc32(crc32(crc32(0, text, text_size), data, data_size), table, table_size));
    put32(header + 60, (uint32_t)strtoul(argv[6], NULL, 0));
    FILE *out = fopen(argv[0], "wb");
    if (out == NULL || fwrite(header, 1, sizeof header, out) != sizeof header
        || fwrite(text, 1, text_size, out) != text_size || fwrite(data, 1, data_size, out) != data_size
        || fwrite(table, 1, table_size, out) != table_size || fclose(out) != 0) {
        fprintf(stderr, "pack: %s: cannot write\n", argv[0]);
        return 2;
    }
    return 0;
}
