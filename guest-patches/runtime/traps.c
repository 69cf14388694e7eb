/*
 * traps.c: the trap table and fatal exception reports, declared in
 * traps.h.
 */
#include "hypercall.h"
#include "panic.h"
#include "shinfo.h"
#include "traps.h"

#define NR_TRAPS 20
#define TRAP_PAGE_FAULT 14

/* trap_info.flags: bit 2 makes Xen mask events on entry, bits 0-1 DPL. */
#define TI_MASK_EVENTS 4
#define TI_DPL3        3

/* Per-vector entry stubs, in entry.S. */
extern const unsigned long trap_entries[NR_TRAPS];

int traps_init(void)
{
    trap_info_t table[NR_TRAPS + 1];
    unsigned int v;

    for (v = 0; v < NR_TRAPS; v++) {
        table[v].vector = (uint8_t)v;
        table[v].flags = TI_MASK_EVENTS;
        /*
         * The kernel runs in ring 3: int3 and into must be allowed from
         * DPL 3 or they would arrive as #GP instead.
         */
        if (v == 3 || v == 4)
            table[v].flags |= TI_DPL3;
        table[v].cs = FLAT_KERNEL_CS;
        table[v].address = trap_entries[v];
    }
    table[NR_TRAPS] = (trap_info_t){ 0 };
    return (int)HYPERVISOR_set_trap_table(table);
}

_Noreturn void traps_fatal(unsigned long vector, unsigned long error,
                           const struct trap_frame *frame)
{
    if (vector == TRAP_PAGE_FAULT && xen_shared_info)
        panic("fatal trap %lu at rip=0x%lx err=0x%lx cr2=0x%lx", vector,
              frame->rip, error, shinfo_vcpu0()->arch.cr2);
    panic("fatal trap %lu at rip=0x%lx err=0x%lx rsp=0x%lx", vector,
          frame->rip, error, frame->rsp);
}

_Noreturn void traps_failsafe(const struct trap_frame *frame)
{
    panic("failsafe callback at rip=0x%lx", frame->rip);
}
