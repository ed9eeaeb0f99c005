/*
 * recursion: deep recursion, thousands of levels — a recursive walk of a tree that is mostly one
 * long spine, Ackermann's function with small arguments, mutual recursion that is no tail call,
 * and a recursive descent over a byte string — each checked against an iterative computation.
 * The stack reserve (link.ld) is painted before each test and scanned after it, so the output
 * also gives the stack high-water mark in bytes, which must stay inside the reserve.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "corpus.h"

extern uint32_t _stack_top[], _heap_limit[];

static unsigned long hashacc = 2166136261u;
static int failures;

static void mix(uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        hashacc = (hashacc ^ ((v >> (8 * i)) & 0xFF)) * 16777619u;
    }
}

static void check(const char *what, uint32_t got, uint32_t want)
{
    printf("%-14s %08lx", what, (unsigned long)got);
    if (got != want) {
        printf("  FAIL (iterative: %08lx)", (unsigned long)want);
        failures++;
    }
    printf("\n");
    mix(got);
}

static inline uint32_t get_sp(void)
{
    uint32_t v;
    __asm volatile("mov %0, sp" : "=r"(v));
    return v;
}

#define PAINT 0xC5C5A3A3u

/* Paints the reserve below SP (leaving a margin for this function's own frame). */
static void __attribute__((noinline)) paint_stack(void)
{
    uint32_t *lo = _heap_limit;
    uint32_t *hi = (uint32_t *)(get_sp() - 256);
    for (uint32_t *p = lo; p < hi; p++) {
        *p = PAINT;
    }
}

/* Bytes of stack used below `base` since paint_stack, from the lowest word no longer painted. */
static uint32_t __attribute__((noinline)) high_water(uint32_t base)
{
    uint32_t *p = _heap_limit;
    while (*p == PAINT) {
        p++;
    }
    if (p == _heap_limit) {
        printf("FAIL stack reserve overrun\n");
        failures++;
    }
    return base - (uint32_t)p;
}

static void report_stack(const char *what, uint32_t base)
{
    uint32_t used = high_water(base);
    uint32_t reserve = (uint32_t)_stack_top - (uint32_t)_heap_limit;
    printf("%-14s stack high-water %6lu of %lu bytes\n", what, (unsigned long)used, (unsigned long)reserve);
    mix(used);
}

/* ---- tree walk: a spine of NODES nodes (left child), with small subtrees hung on the right. */
#define NODES 3000
struct node {
    int16_t left, right;
    uint32_t value;
};
static struct node tree[NODES + 3 * NODES / 8];
static int tree_size;

static int new_node(uint32_t value)
{
    tree[tree_size].left = -1;
    tree[tree_size].right = -1;
    tree[tree_size].value = value;
    return tree_size++;
}

static void build_tree(void)
{
    tree_size = 0;
    uint32_t x = 12345;
    int prev = -1;
    for (int i = 0; i < NODES; i++) {
        x = x * 1103515245u + 12345u;
        int n = new_node(x >> 8);
        if (prev >= 0) {
            tree[prev].left = (int16_t)n;
        }
        if ((i & 7) == 3) {
            int r = new_node(x >> 4);
            tree[n].right = (int16_t)r;
            tree[r].left = (int16_t)new_node(x >> 12);
            tree[r].right = (int16_t)new_node(x >> 16);
        }
        prev = n;
    }
}

static uint32_t max_depth;

static uint32_t __attribute__((noinline)) walk(int n, uint32_t depth)
{
    if (n < 0) {
        return 0;
    }
    if (depth > max_depth) {
        max_depth = depth;
    }
    uint32_t l = walk(tree[n].left, depth + 1);
    uint32_t r = walk(tree[n].right, depth + 1);
    return (l * 31u) ^ (r + tree[n].value) ^ depth;
}

/* The same fold in postorder with an explicit stack. */
static uint32_t walk_iter(void)
{
    static int16_t stack[NODES + 16];
    static uint8_t state[sizeof tree / sizeof tree[0]];
    static uint32_t lres[sizeof tree / sizeof tree[0]], res[sizeof tree / sizeof tree[0]];
    static uint32_t dep[sizeof tree / sizeof tree[0]];
    int sp = 0;
    memset(state, 0, sizeof state);
    stack[sp++] = 0;
    dep[0] = 0;
    while (sp > 0) {
        int n = stack[sp - 1];
        if (state[n] == 0) {
            state[n] = 1;
            if (tree[n].left >= 0) {
                dep[tree[n].left] = dep[n] + 1;
                stack[sp++] = tree[n].left;
            }
        } else if (state[n] == 1) {
            state[n] = 2;
            lres[n] = tree[n].left >= 0 ? res[tree[n].left] : 0;
            if (tree[n].right >= 0) {
                dep[tree[n].right] = dep[n] + 1;
                stack[sp++] = tree[n].right;
            }
        } else {
            uint32_t r = tree[n].right >= 0 ? res[tree[n].right] : 0;
            res[n] = (lres[n] * 31u) ^ (r + tree[n].value) ^ dep[n];
            sp--;
        }
    }
    return res[0];
}

static void test_tree(void)
{
    printf("== tree walk\n");
    build_tree();
    uint32_t base = get_sp();
    paint_stack();
    max_depth = 0;
    uint32_t h = walk(0, 0);
    check("walk", h, walk_iter());
    printf("nodes %d depth %lu\n", tree_size, (unsigned long)max_depth);
    mix(max_depth);
    report_stack("walk", base);
}

/* ---- Ackermann */
static uint32_t ack_calls, ack_depth, ack_max_depth;

static uint32_t __attribute__((noinline)) ack(uint32_t m, uint32_t n)
{
    ack_calls++;
    if (++ack_depth > ack_max_depth) {
        ack_max_depth = ack_depth;
    }
    uint32_t r;
    if (m == 0) {
        r = n + 1;
    } else if (n == 0) {
        r = ack(m - 1, 1);
    } else {
        r = ack(m - 1, ack(m, n - 1));
    }
    ack_depth--;
    return r;
}

static void test_ackermann(void)
{
    static const uint16_t args[][2] = {{0, 7}, {1, 9}, {2, 300}, {3, 5}, {3, 6}};
    printf("== ackermann\n");
    for (unsigned i = 0; i < sizeof args / sizeof args[0]; i++) {
        uint32_t m = args[i][0], n = args[i][1];
        /* Closed forms: A(0,n)=n+1, A(1,n)=n+2, A(2,n)=2n+3, A(3,n)=2^(n+3)-3. */
        uint32_t want = m == 0 ? n + 1 : m == 1 ? n + 2 : m == 2 ? 2 * n + 3 : (1u << (n + 3)) - 3;
        uint32_t base = get_sp();
        paint_stack();
        ack_calls = ack_depth = ack_max_depth = 0;
        char what[16];
        snprintf(what, sizeof what, "A(%lu,%lu)", (unsigned long)m, (unsigned long)n);
        check(what, ack(OPQ(m), OPQ(n)), want);
        printf("  calls %lu depth %lu\n", (unsigned long)ack_calls, (unsigned long)ack_max_depth);
        mix(ack_calls);
        mix(ack_max_depth);
        report_stack(what, base);
    }
}

/* ---- mutual recursion, no tail calls: f(n) = g(n-1)*3 + n, g(n) = f(n-1) ^ (n << 7) */
static uint32_t mut_g(uint32_t n);

static uint32_t __attribute__((noinline)) mut_f(uint32_t n)
{
    if (n == 0) {
        return 1;
    }
    return mut_g(n - 1) * 3u + n;
}

static uint32_t __attribute__((noinline)) mut_g(uint32_t n)
{
    if (n == 0) {
        return 2;
    }
    return mut_f(n - 1) ^ (n << 7);
}

static uint32_t mut_iter(uint32_t n)
{
    /* Unwind from the bottom: level k is f when (n - k) is even. */
    uint32_t v = ((n & 1) == 0) ? 1 : 2;   /* level 0 is f (f(0) = 1) iff n is even, else g(0) = 2 */
    for (uint32_t k = 1; k <= n; k++) {
        int is_f = ((n - k) & 1) == 0;
        v = is_f ? v * 3u + k : v ^ (k << 7);
    }
    return v;
}

static void test_mutual(void)
{
    static const uint32_t depths[] = {1, 2, 777, 2500, 4001};
    printf("== mutual recursion\n");
    for (unsigned i = 0; i < sizeof depths / sizeof depths[0]; i++) {
        uint32_t base = get_sp();
        paint_stack();
        char what[16];
        snprintf(what, sizeof what, "f(%lu)", (unsigned long)depths[i]);
        check(what, mut_f(OPQ(depths[i])), mut_iter(depths[i]));
        report_stack(what, base);
    }
}

/* ---- recursive descent: nested parentheses, thousands deep */
static const char *src;

static uint32_t __attribute__((noinline)) parse_expr(uint32_t depth);

static uint32_t __attribute__((noinline)) parse_atom(uint32_t depth)
{
    if (*src == '(') {
        src++;
        uint32_t v = parse_expr(depth + 1);
        if (*src == ')') {
            src++;
        }
        return v * 3u + depth;
    }
    uint32_t v = 0;
    while (*src >= '0' && *src <= '9') {
        v = v * 10u + (uint32_t)(*src++ - '0');
    }
    return v;
}

static uint32_t __attribute__((noinline)) parse_expr(uint32_t depth)
{
    uint32_t v = parse_atom(depth);
    while (*src == '+') {
        src++;
        v += parse_atom(depth);
    }
    return v;
}

static char text[3 * 2000 + 64];

static void test_descent(void)
{
    printf("== recursive descent\n");
    int n = 2000;
    char *p = text;
    for (int i = 0; i < n; i++) {
        *p++ = '(';
        if (i % 500 == 0) {
            *p++ = '1';
            *p++ = '+';
        }
    }
    *p++ = '7';
    for (int i = 0; i < n; i++) {
        *p++ = ')';
    }
    *p = 0;
    /* Iteratively: innermost 7, then at depth d (from n-1 down to 0) v = (v + ones(d)) * 3 + d. */
    uint32_t want = 7;
    for (int d = n - 1; d >= 0; d--) {
        want = (want + (d % 500 == 0 ? 1u : 0u)) * 3u + (uint32_t)d;
    }
    uint32_t base = get_sp();
    paint_stack();
    src = text;
    check("descent", parse_expr(0), want);
    report_stack("descent", base);
}

int main(void)
{
    printf("recursion corpus\n");
    test_tree();
    test_ackermann();
    test_mutual();
    test_descent();
    printf("hash %08lx\n", hashacc);
    printf("failures %d\n", failures);
    printf("done\n");
    return failures ? 1 : 0;
}
