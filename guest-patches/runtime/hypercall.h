/*
 * hypercall.h: 64-bit PV hypercalls through the hypercall page.
 *
 * Xen fills hypercall_page (head.S) at domain build time with one 32-byte
 * stub per hypercall number: hypercall NR is `call hypercall_page + NR*32`.
 * Arguments go in rdi, rsi, rdx, r10, r8 and the result comes back in rax.
 * The stub saves rcx and r11 around its `syscall`, but debug builds of Xen
 * deliberately scribble over the argument registers, and continuations may
 * rewrite them, so every argument register is treated as clobbered.
 *
 * Each wrapper returns Xen's result: 0 or a positive value on success, a
 * negative Xen errno (xen/errno.h) on failure. Guest only: never included
 * by the host-tested modules.
 */
#ifndef CHAOS_RT_HYPERCALL_H
#define CHAOS_RT_HYPERCALL_H

#include "xen_iface.h"

extern char hypercall_page[];

/*
 * The one raw entry: hypercall nr with five arguments (unused ones are
 * passed as 0). The stub is reached by an indirect call so that nr need
 * not be a compile-time constant. The call pushes on the current stack,
 * which is fine because the guest is built with -mno-red-zone.
 */
static inline long hypercall5(unsigned int nr, unsigned long a1,
                              unsigned long a2, unsigned long a3,
                              unsigned long a4, unsigned long a5)
{
    register unsigned long r10 __asm__("r10") = a4;
    register unsigned long r8 __asm__("r8") = a5;
    long ret;

    __asm__ __volatile__("call *%[entry]"
                         : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3),
                           "+r"(r10), "+r"(r8)
                         : [entry] "r"(hypercall_page + nr * 32)
                         : "rcx", "r11", "memory");
    return ret;
}

static inline long hypercall3(unsigned int nr, unsigned long a1,
                              unsigned long a2, unsigned long a3)
{
    return hypercall5(nr, a1, a2, a3, 0, 0);
}

static inline long hypercall2(unsigned int nr, unsigned long a1,
                              unsigned long a2)
{
    return hypercall5(nr, a1, a2, 0, 0, 0);
}

static inline long hypercall1(unsigned int nr, unsigned long a1)
{
    return hypercall5(nr, a1, 0, 0, 0, 0);
}

static inline long HYPERVISOR_sched_op(int cmd, void *arg)
{
    return hypercall2(__HYPERVISOR_sched_op, (unsigned long)cmd,
                      (unsigned long)arg);
}

static inline long HYPERVISOR_event_channel_op(int cmd, void *arg)
{
    return hypercall2(__HYPERVISOR_event_channel_op, (unsigned long)cmd,
                      (unsigned long)arg);
}

static inline long HYPERVISOR_grant_table_op(unsigned int cmd, void *uop,
                                             unsigned int count)
{
    return hypercall3(__HYPERVISOR_grant_table_op, cmd, (unsigned long)uop,
                      count);
}

/*
 * Replace the L1 page-table entry that maps va with new_pte (a machine
 * address | PTE flags). On x86-64 the PTE fits one register: 3 arguments.
 */
static inline long HYPERVISOR_update_va_mapping(unsigned long va,
                                                uint64_t new_pte,
                                                unsigned long flags)
{
    return hypercall3(__HYPERVISOR_update_va_mapping, va, new_pte, flags);
}

static inline long HYPERVISOR_callback_op(int cmd, const void *arg)
{
    return hypercall2(__HYPERVISOR_callback_op, (unsigned long)cmd,
                      (unsigned long)arg);
}

/* table: trap_info entries terminated by one whose address is 0. */
static inline long HYPERVISOR_set_trap_table(const trap_info_t *table)
{
    return hypercall1(__HYPERVISOR_set_trap_table, (unsigned long)table);
}

static inline long HYPERVISOR_xen_version(int cmd, void *arg)
{
    return hypercall2(__HYPERVISOR_xen_version, (unsigned long)cmd,
                      (unsigned long)arg);
}

#endif
