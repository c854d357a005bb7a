/* Control flow labelled blocks cannot express, translated as a state machine: case labels inside
 * a loop of the switch (Duff's device) and a goto into a switch. */
/* Duff's device. */
void copy8(char *to, const char *from, int count) {
    /* Whole blocks of eight: kept, with the statement kept whole in its state. */
    int n = (count + 7) / 8;
    switch (count % 4) {
    case 0: do { *to++ = *from++;
    case 3:      *to++ = *from++;
    case 2:      *to++ = *from++;
    case 1:      *to++ = *from++;
            } while (--n > 0);
    }
}

int resume(int *state, int x) {
    int r = 0;
    /* A jump kept whole in its state: kept. */
    if (x < 0) goto fail;
    switch (*state) {
    case 0:
        /* Before a loop cut into states (a case label inside it): kept before its first
           code, in the state the loop starts in. */
        for (r = 0; r < x /* in its header: with the others */; r++) {
            *state = 1; /* Resume at case 1. */
            return r;
    case 1:
            x--;
        }
        break;
    default:
    fail:
        r = -1;
        /* After the last statement of a switch cut into states: kept. */
    }
    return r;
}
