/*
 * Host harness for differential.py: reads "PUBLIC-KEY SIGNATURE MESSAGE" lines (hex; the message may be
 * empty) and prints ed25519_verify's result for each, one number a line.
 */
#include <stdio.h>
#include <string.h>

#include "crypto/ed25519.h"

static size_t unhex(unsigned char *out, size_t room, const char *hex)
{
    size_t n = 0;
    unsigned byte;
    while (n < room && sscanf(hex, "%2x", &byte) == 1) {
        out[n++] = (unsigned char)byte;
        hex += 2;
    }
    return n;
}

int main(void)
{
    static char line[16384];
    static unsigned char message[8192];
    unsigned char key[32], signature[64];
    while (fgets(line, sizeof line, stdin)) {
        char *k = strtok(line, " \n"), *s = strtok(NULL, " \n"), *m = strtok(NULL, " \n");
        if (k == NULL || s == NULL || unhex(key, 32, k) != 32 || unhex(signature, 64, s) != 64) {
            fprintf(stderr, "host_differential: bad line\n");
            return 2;
        }
        size_t size = m ? unhex(message, sizeof message, m) : 0;
        printf("%d\n", (int)ed25519_verify(signature, message, size, key));
    }
    return 0;
}
