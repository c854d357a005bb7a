/* Comments inside function bodies: kept beside the statement they precede. */

#define TWICE(x) ((x) /* in the macro definition: not in the function, dropped */ * 2)

/* A doc comment stays a doc comment. */
int comments(int n, const int *v) {
    /* Sum of the first n values,
     * doubled.
     */
    int sum = 0;
    int i;
    // A line comment.
    for (i = 0; i < n; i++) { // On the line of the brace: before the first statement.
        sum += v[i]; /* trailing: before its statement */
        /// Three slashes are no doc comment here.
    }
    if (sum > 100) {
        sum = 100; // clamp
    } /* between } and else: before the if */ else {
        // The else branch.
        sum = TWICE(sum + /* inside an expression and a macro argument: before its statement */ 1);
    }
    switch (n) {
    /* Before a case label: with its statement. */
    case 1:
        sum++;
        /* Before the break that ends the case: at the end of the arm. */
        break;
    default:
        // In the default arm.
        sum--;
    }
#if 0 /* why it is off: dropped with the region */
    /* Skipped by the preprocessor: dropped with the directive after it. */
#else /* the part that was skipped or not: dropped with it */
#endif
    //! Not an inner doc comment either.
    return sum;
    /* After the last statement. */
}

void empty_with_comment(void) {
    /* Nothing to do. */
}

int with_goto(int a) {
    int r = -1;
    if (a < 0)
        goto fail; /* a jump: before its if */
    // Labelled blocks keep their comments too.
    r = a * 2;
fail:
    /* The label's statement. */
    return r;
}

int with_directives(int a) {
    /* Before a conditional: kept. */
#ifdef NOT_DEFINED
    /* In a skipped region: dropped. */
    a = 0;
#else
    /* In the region taken: kept. */
    a += 1;
#endif /* on the directive's line: kept */
    /* After it: kept. */
    return a;
}

static int add3(int a, int b, int c) { return a + b + c; }

int with_call_arguments(void) {
    return add3(1, /* before its argument */ 2,
                3 /* after the last */);
}
