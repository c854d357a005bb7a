// The kinds of filter.
enum kind { KIND_NORMAL, KIND_SIMPLE };
static int clamp(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }
int strength(enum kind k, int level) {
    if (k != KIND_SIMPLE) {
        return clamp(level * 2, 0, 63);
    }
    return clamp(level, 0, 63);
}
