/*
 * x86-64 mc kernels: installs the asm/x86_64 implementations into the mc table for the
 * instruction sets cpu_flags allows, each level overriding the one below. The kernels arrive with
 * the asm issue; until then the table keeps its C fallbacks.
 */
#include "../mc.h"

#include "vp8/vp8.h"

void vp8_mc_dsp_init_x86(Vp8McDsp *dsp, unsigned cpu_flags)
{
    (void)dsp;
    (void)cpu_flags;
}
