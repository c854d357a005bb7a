/* Locals declared where they are first assigned, when that is provably the same program. */

static int f(int x) { return x * 3; }
static void use(int *p) { *p = 1; }

int moved(int n) {
    int a, b;
    int *p;
    unsigned char c;
    /* The declaration's comment goes with it. */
    int moved_alone;
    a = f(n);            /* let a: i32 = f(n); */
    moved_alone = a;
    p = &a;              /* a is address-taken after its first assignment: still moved */
    b = *p + 1;          /* b never changes again: no mut */
    c = (unsigned char)b;
    c += 1;              /* changed again: let mut */
    return a + b + c + moved_alone;
}

int kept(int n) {
    int used_first;      /* read before any assignment */
    int in_loop;         /* first assigned in a loop below its block */
    int in_if;           /* first assigned in a branch */
    int addr;            /* address taken first */
    int self_ref;        /* its assignment reads it */
    int compound;        /* first written by += */
    volatile int vol;    /* volatile: every access stays an access */
    int arr[2];          /* not a scalar */
    int i;
    n += used_first;
    used_first = 1;
    for (i = 0; i < n; i++) {
        in_loop = f(i);
        n += in_loop;
    }
    if (n > 3) {
        in_if = 1;
        n += in_if;
    }
    use(&addr);
    addr = 2;
    self_ref = self_ref + n;
    compound += 1;
    vol = n;
    arr[0] = vol;
    arr[1] = arr[0];
    return n + used_first + addr + self_ref + compound + arr[1];
}

int in_switch(int n) {
    int r;
    switch (n) {
    case 1: {
        int t;           /* a block of its own inside the case: moved */
        t = f(n);
        r = t;
        break;
    }
    default:
        r = 0;
    }
    return r;
}

int in_loop_body(int n) {
    int s = 0;
    while (n > 0) {
        int t;           /* inside a loop: moved too */
        int flag;        /* tested twice in a loop body: kept (LLVM's codegen, see lets.rs) */
        int once;        /* tested once: moved */
        t = n * 2;
        flag = t > 6;
        once = t < 4;
        if (flag) {
            s += t;
        }
        if (once) {
            s -= 1;
        }
        if (flag) {
            s += 1;
        }
        n--;
    }
    return s;
}
