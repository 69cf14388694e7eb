/*
 * traps.h: CPU exceptions. Every exception is fatal: the guest reports
 * "<guest>: fatal trap V at rip=0x..." on the console and crashes.
 *
 * A 64-bit PV guest registers its handlers with HYPERVISOR_set_trap_table
 * instead of an IDT. Xen delivers an exception as a "bounce frame" pushed
 * on the current kernel stack (16-byte aligned first, no red zone
 * skipped): [rsp] = rcx, [rsp+8] = r11, then the error code for vectors
 * 8, 10-14 and 17, then rip, cs, rflags, rsp, ss. For a page fault the
 * faulting address is in vcpu_info->arch.cr2.
 */
#ifndef CHAOS_RT_TRAPS_H
#define CHAOS_RT_TRAPS_H

#include "xen_iface.h"

/* The hardware part of a bounce frame, after rcx, r11 and error code. */
struct trap_frame {
    unsigned long rip;
    unsigned long cs;       /* bits 32-39: Xen's saved upcall mask */
    unsigned long rflags;
    unsigned long rsp;
    unsigned long ss;
};

/*
 * Installs handlers for vectors 0-19 (events masked on entry). Returns 0
 * or a negative Xen errno.
 */
int traps_init(void);

/* Called by the entry.S stubs; report and crash. */
_Noreturn void traps_fatal(unsigned long vector, unsigned long error,
                           const struct trap_frame *frame);
_Noreturn void traps_failsafe(const struct trap_frame *frame);

#endif
