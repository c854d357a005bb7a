/* indented_comments.c: block comments written as `//` or `///` lines keep the indentation of
   their lines relative to each other, and so does the module's `//!` doc:
     - undecorated lines lose only the indentation they share,
     - decorated ones keep what follows their ` * `. */

/*
   Scales a value.

   Undecorated lines lose only the indentation they share; an example indented under the
   text after a blank line is fenced as text, so rustdoc does not compile it as Rust:

       scale(3, 2) == 6
       scale(x, 0) == 0

   and the text goes on after it.

        A paragraph whose first line is indented further, as zlib writes them, is
   no code block: its first line comes in to three columns, or rustdoc would read it as one.
*/
int scale(int value, int factor)
{
    /* Undecorated lines in a body:
         first, the product;
           (it wraps as C's int would)
         then the return. */
    int product = value * factor;
    /*
     * Decorated lines keep what follows the decoration:
     *   - the product,
     *     indented;
     *   - nothing else.
     */
    return product;
}

/*
   history:
      1.1  (2026-12-08) kept the indentation
      1.0  (2026-12-07) first
*/
