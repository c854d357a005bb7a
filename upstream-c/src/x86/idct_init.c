/*
 * x86-64 idct kernels: installs the asm/x86_64 implementations into the idct table for the
 * instruction sets cpu_flags allows, each level overriding the one below. The kernels arrive with
 * the asm issue; until then the table keeps its C fallbacks.
 */
#include "../idct.h"

#include "vp8/vp8.h"

void vp8_idct_dsp_init_x86(Vp8IdctDsp *dsp, unsigned cpu_flags)
{
    (void)dsp;
    (void)cpu_flags;
}
