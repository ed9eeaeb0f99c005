/*
 * libc: newlib as firmware uses it — printf/sprintf/snprintf formatting,
 * sscanf, strtol/strtoul/strtod with errno, string and memory functions,
 * malloc/free/realloc/calloc patterns (checked by content, never by address),
 * qsort and bsearch, rand with a fixed seed, setjmp/longjmp.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "corpus.h"

static void test_printf(void)
{
    printf("== printf\n");
    static const int ints[] = {0, 1, -1, 42, -42, 255, 65535, INT_MAX, INT_MIN, 1000000};
    for (unsigned i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        int v = ints[i];
        printf("[%d] [%5d] [%-5d] [%05d] [%+d] [% d] [%x] [%X] [%#x] [%o] [%#o] [%u] [%8.3d] [%c]\n", v, v, v,
               v, v, v, (unsigned)v, (unsigned)v, (unsigned)v, (unsigned)v, (unsigned)v, (unsigned)v, v,
               'A' + (v & 15));
    }
    /* Debian's newlib is built without the C99 %z/%j/%t length modifiers, so none are used. */
    printf("[%ld] [%lx] [%lld] [%llx] [%hd] [%hhu] [%p]\n", -123456789L, 0xDEADBEEFUL, -9000000000LL,
           0x123456789ABCDEFULL, (short)-300, (unsigned char)300, (void *)0x1234);
    static const double dbls[] = {0.0, -0.0, 1.0, -1.5, 0.1, 2.0 / 3.0, 1e10, 1.25e-5, 123456789.125,
                                  1e300, -4.9e-324, 1e-310, 0.5, 99.995, 1e21};
    for (unsigned i = 0; i < sizeof dbls / sizeof dbls[0]; i++) {
        double d = dbls[i];
        printf("[%f] [%.2f] [%10.4f] [%-12.1f] [%e] [%.3E] [%g] [%.10g] [%G] [%#g] [%+.0f]\n", d, d, d, d, d, d,
               d, d, d, d, d);
    }
    printf("[%s] [%10s] [%-10s] [%.3s] [%%] [%5c]\n", "text", "right", "left", "truncate", 'z');
    printf("[%*d] [%-*d] [%.*f]\n", 6, 12, 6, 12, 3, 3.14159);

    char buf[64];
    int n = sprintf(buf, "%s-%04d-%.3f", "sprintf", 77, 2.71828);
    printf("sprintf n=%d '%s'\n", n, buf);
    const char *volatile longtext = "a string that is too long";
    n = snprintf(buf, 10, "%s", longtext);
    printf("snprintf n=%d '%s'\n", n, buf);
    n = snprintf(NULL, 0, "%d %d %d", 1, 22, 333);
    printf("snprintf null n=%d\n", n);
}

static void test_scan(void)
{
    printf("== sscanf strtol strtoul strtod\n");
    int a, b;
    unsigned x;
    float f;
    char word[16];
    int n = sscanf("  17 -4 ff 2.5 hello", "%d %d %x %f %15s", &a, &b, &x, &f, word);
    printf("sscanf n=%d a=%d b=%d x=%u f=%.2f w=%s\n", n, a, b, x, (double)f, word);

    static const char *nums[] = {"0", "123", "-456", "0x1F", "0755", "2147483647", "2147483648", "-2147483649",
                                 "99999999999999999999", "  +42xyz", "abc", "-0", "0b101"};
    static const int bases[] = {10, 0, 16, 8};
    for (unsigned i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        printf("'%s':", nums[i]);
        for (unsigned k = 0; k < 4; k++) {
            char *end;
            errno = 0;
            long v = strtol(nums[i], &end, bases[k]);
            int e1 = errno;
            errno = 0;
            unsigned long u = strtoul(nums[i], NULL, bases[k]);
            printf(" b%d=%ld/%d/%d,%lu/%d", bases[k], v, (int)(end - nums[i]), e1, u, errno);
        }
        printf("\n");
    }
    static const char *dnums[] = {"0", "1", "-2.5", "3.14159265358979323846", "1e308", "1e309", "2.2250738585072014e-308",
                                  "4.9e-324", "1e-400", "0x1.8p3", "inf", "-nan", "  .5e+2junk", "123456789012345678901234567890",
                                  "0.1", "0.30000000000000004"};
    for (unsigned i = 0; i < sizeof dnums / sizeof dnums[0]; i++) {
        char *end;
        errno = 0;
        double d = strtod(dnums[i], &end);
        uint64_t bits;
        memcpy(&bits, &d, 8);
        float fv = strtof(dnums[i], NULL);
        uint32_t fbits;
        memcpy(&fbits, &fv, 4);
        printf("strtod '%s' -> %016llx %.17g used=%d errno=%d strtof %08lx\n", dnums[i], (unsigned long long)bits, d,
               (int)(end - dnums[i]), errno ? 1 : 0, (unsigned long)fbits);
    }
    printf("atoi %d atol %ld atof %.3f\n", atoi("  -77z"), atol("123456"), atof("6.25"));
}

static void test_strings(void)
{
    printf("== string and memory\n");
    char buf[80];
    strcpy(buf, "The quick brown fox jumps over the lazy dog");
    printf("len %u\n", (unsigned)strlen(buf));
    printf("strchr %s\n", strchr(buf, 'q'));
    printf("strrchr %s\n", strrchr(buf, 'o'));
    printf("strstr %s\n", strstr(buf, "fox"));
    printf("strcmp %d %d %d\n", strcmp("abc", "abd") < 0, strcmp("b", "a") > 0, strcmp("same", "same"));
    printf("strncmp %d memcmp %d\n", strncmp("abcdef", "abcxyz", 3), memcmp("\x01\x02", "\x01\x03", 2) < 0);
    printf("strspn %u strcspn %u\n", (unsigned)strspn("aabbcd", "ab"), (unsigned)strcspn("hello, world", ",;"));
    char tok[] = "alpha,beta;;gamma, delta";
    for (char *t = strtok(tok, ",; "); t; t = strtok(NULL, ",; ")) {
        printf("tok '%s'\n", t);
    }
    /* memmove with overlap in both directions, memset, memcpy of odd sizes. */
    for (int i = 0; i < 40; i++) {
        buf[i] = (char)('a' + i % 26);
    }
    memmove(buf + 3, buf, 20);
    memmove(buf + 25, buf + 27, 10);
    memset(buf + 10, '#', 5);
    buf[40] = 0;
    printf("memmove %s\n", buf);
    uint8_t src[67], dst[67];
    for (int i = 0; i < 67; i++) {
        src[i] = (uint8_t)(i * 13);
    }
    uint32_t sum = 0;
    for (int off = 0; off < 4; off++) {
        for (int len = 0; len < 60; len += 7) {
            memset(dst, 0xEE, sizeof dst);
            memcpy(dst + off, src + (3 - off), (size_t)len);
            for (int i = 0; i < 67; i++) {
                sum = sum * 31 + dst[i];
            }
        }
    }
    printf("memcpy sum %08lx\n", (unsigned long)sum);
    int up = 0, dig = 0, sp = 0;
    for (const char *p = "Hello World 2024!\t"; *p; p++) {
        up += isupper((unsigned char)*p) != 0;
        dig += isdigit((unsigned char)*p) != 0;
        sp += isspace((unsigned char)*p) != 0;
    }
    printf("ctype up=%d dig=%d sp=%d toupper=%c tolower=%c\n", up, dig, sp, toupper('q'), tolower('Q'));
    div_t d = div(-17, 5);
    ldiv_t ld = ldiv(100000L, -7L);
    printf("div %d %d ldiv %ld %ld abs %d labs %ld\n", d.quot, d.rem, ld.quot, ld.rem, abs(-5), labs(-70000L));
}

static uint32_t fill_pattern(uint8_t *p, size_t n, uint32_t seed)
{
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        p[i] = (uint8_t)(seed >> 16);
    }
    return seed;
}

static uint32_t check_sum(const uint8_t *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ p[i]) * 16777619u;
    }
    return h;
}

static void test_malloc(void)
{
    printf("== malloc free realloc calloc\n");
    enum { SLOTS = 32 };
    uint8_t *slot[SLOTS] = {0};
    size_t size[SLOTS] = {0};
    uint32_t seed = 99;
    int failures = 0, misaligned = 0;
    for (int round = 0; round < 400; round++) {
        seed = seed * 1664525u + 1013904223u;
        int k = (int)((seed >> 8) % SLOTS);
        size_t want = (size_t)((seed >> 16) % 700) + 1;
        if (slot[k] == NULL) {
            slot[k] = malloc(want);
            size[k] = want;
            fill_pattern(slot[k], want, (uint32_t)k);
        } else if ((seed & 3) == 0) {
            free(slot[k]);
            slot[k] = NULL;
        } else {
            /* realloc keeps the common prefix. */
            uint32_t before = check_sum(slot[k], size[k] < want ? size[k] : want);
            uint8_t *p = realloc(slot[k], want);
            if (p == NULL) {
                failures++;
                continue;
            }
            uint32_t after = check_sum(p, size[k] < want ? size[k] : want);
            if (before != after) {
                failures++;
            }
            slot[k] = p;
            size[k] = want;
            fill_pattern(p, want, (uint32_t)k + 7);
        }
        if (slot[k] && ((uintptr_t)slot[k] & 7) != 0) {
            misaligned++;
        }
        if (round % 50 == 49) {
            uint32_t h = 0;
            int live = 0;
            for (int s = 0; s < SLOTS; s++) {
                if (slot[s]) {
                    live++;
                    h = h * 3 + check_sum(slot[s], size[s]);
                }
            }
            printf("round %d live %d contents %08lx\n", round, live, (unsigned long)h);
        }
    }
    for (int s = 0; s < SLOTS; s++) {
        free(slot[s]);
    }
    int *z = calloc(100, sizeof(int));
    int nonzero = 0;
    for (int i = 0; i < 100; i++) {
        nonzero += z[i] != 0;
    }
    free(z);
    void *big = malloc(8u * 1024 * 1024);      /* more than the data RAM: must fail */
    printf("failures %d misaligned %d calloc nonzero %d huge %s\n", failures, misaligned, nonzero,
           big ? "allocated" : "NULL");
    free(big);
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

struct rec {
    char name[8];
    int key;
};

static int cmp_rec(const void *a, const void *b)
{
    const struct rec *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : cmp_int(&x->key, &y->key);
}

static void test_sort(void)
{
    printf("== qsort bsearch rand\n");
    srand(2024);
    int arr[200];
    for (int i = 0; i < 200; i++) {
        arr[i] = rand() % 1000 - 500;
    }
    printf("rand first %d %d %d\n", arr[0], arr[1], arr[2]);
    qsort(arr, 200, sizeof(int), cmp_int);
    int sorted = 1;
    for (int i = 1; i < 200; i++) {
        sorted &= arr[i - 1] <= arr[i];
    }
    printf("sorted %d min %d max %d median %d\n", sorted, arr[0], arr[199], arr[100]);
    for (int probe = -500; probe < 500; probe += 97) {
        int *hit = bsearch(&probe, arr, 200, sizeof(int), cmp_int);
        printf("bsearch %d -> %s\n", probe, hit ? "found" : "absent");
    }
    struct rec recs[] = {{"delta", 4}, {"alpha", 9}, {"echo", 1}, {"alpha", 2}, {"bravo", 7}, {"delta", 0},
                         {"charlie", 3}};
    qsort(recs, 7, sizeof recs[0], cmp_rec);
    for (int i = 0; i < 7; i++) {
        printf("rec %s %d\n", recs[i].name, recs[i].key);
    }
}

static jmp_buf env_outer, env_inner;
static volatile int depth_reached;

static void __attribute__((noinline)) recurse(int n)
{
    volatile char pad[24];
    pad[0] = (char)n;
    depth_reached = n + pad[0] - (char)n;
    if (n == 25) {
        longjmp(env_inner, n * 2);
    }
    if (n < 1000) {
        recurse(n + 1);
    }
}

static void __attribute__((noinline)) fail_twice(int k)
{
    if (k > 0) {
        longjmp(env_outer, k);
    }
}

static void test_setjmp(void)
{
    printf("== setjmp longjmp\n");
    volatile int counter = 0;
    volatile float fkeep = 1.5f;
    int r = setjmp(env_outer);
    counter++;
    printf("setjmp returned %d counter %d\n", r, counter);
    if (r < 3) {
        fkeep = fkeep * 2.0f;
        fail_twice(r + 1);
    }
    printf("after loop counter %d fkeep %.1f\n", counter, (double)fkeep);
    int v = setjmp(env_inner);
    if (v == 0) {
        recurse(0);
        printf("not reached\n");
    }
    printf("inner longjmp value %d depth %d\n", v, depth_reached);
    /* longjmp(…, 0) must make setjmp return 1. */
    volatile int once = 0;
    v = setjmp(env_inner);
    if (!once) {
        once = 1;
        longjmp(env_inner, 0);
    }
    printf("longjmp 0 gives %d\n", v);
}

int main(void)
{
    printf("libc corpus\n");
    test_printf();
    test_scan();
    test_strings();
    test_malloc();
    test_sort();
    test_setjmp();
    fflush(stdout);
    printf("done\n");
    return 0;
}
