/* A second compilation unit, so the line table has two sequences and two file tables. */
int scale(int v) {
    int r = 0;
    for (int i = 0; i < 4; i++) {
        r += v;
    }
    return r;
}
