/*
 * x86-64 ipred kernels: installs the asm/x86_64 implementations into the ipred table for the
 * instruction sets cpu_flags allows, each level overriding the one below. The kernels arrive with
 * the asm issue; until then the table keeps its C fallbacks.
 */
#include "../ipred.h"

#include "vp8/vp8.h"

void vp8_ipred_dsp_init_x86(Vp8IpredDsp *dsp, unsigned cpu_flags)
{
    (void)dsp;
    (void)cpu_flags;
}
