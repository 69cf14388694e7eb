/*
 * entry.S: where Xen enters the guest after boot: the event upcall, the
 * failsafe callback and the exception stubs.
 *
 * 64-bit PV bounce frame, pushed by Xen on the current kernel stack
 * (aligned down to 16 bytes, no red zone skipped, hence -mno-red-zone):
 *
 *     [rsp]      rcx          Xen used rcx and r11 for its own return
 *     [rsp+8]    r11          path; the interrupted values are here
 *     (failsafe only: ds, es, fs, gs)
 *     (some exceptions only: error code)
 *     rip, cs, rflags, rsp, ss
 *
 * rflags.IF in the frame is the inverse of the upcall mask at the time of
 * the interruption; HYPERVISOR_iret restores the mask from it.
 */
#include <xen/xen.h>

    .text

/*
 * Event upcall. Xen has set vcpu_info->evtchn_upcall_mask, so no upcall
 * can nest. Save the caller-saved registers, run events_upcall() on a
 * 16-byte aligned stack, restore, and leave with HYPERVISOR_iret, which
 * restores rip/cs/rflags/rsp/ss and the upcall mask in one step: events
 * that arrive before it are still masked, and are delivered as soon as
 * it unmasks.
 */
    .globl hypervisor_callback
hypervisor_callback:
    movq (%rsp), %rcx
    movq 8(%rsp), %r11
    addq $16, %rsp
    pushq %rax
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %rbp
    movq %rsp, %rbp
    andq $-16, %rsp
    cld
    call events_upcall
    movq %rbp, %rsp
    popq %rbp
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rdi
    popq %rsi
    popq %rdx
    popq %rcx
    popq %rax
    /*
     * iret frame: the stub pushes rcx, r11 and rax below a flags word and
     * the hardware frame; flags 0 (not VGCF_in_syscall) makes Xen restore
     * rcx and r11 from it too.
     */
    pushq $0
    jmp hypercall_page + __HYPERVISOR_iret * 32

/*
 * Failsafe callback: Xen could not load the segment registers of a frame
 * it was returning to. We never change them, so this is a fatal bug.
 * Frame: rcx, r11, ds, es, fs, gs, then the hardware frame at 48(%rsp).
 */
    .globl failsafe_callback
failsafe_callback:
    leaq 48(%rsp), %rdi
    andq $-16, %rsp
    cld
    call traps_failsafe
    ud2

/*
 * Exception stubs: traps_fatal(vector, error code, &hardware frame).
 */
.macro trap_stub vector:req, errcode:req
trap_\vector:
    movl $\vector, %edi
.if \errcode
    movq 16(%rsp), %rsi
    leaq 24(%rsp), %rdx
.else
    xorl %esi, %esi
    leaq 16(%rsp), %rdx
.endif
    jmp trap_common
.endm

    trap_stub 0, 0
    trap_stub 1, 0
    trap_stub 2, 0
    trap_stub 3, 0
    trap_stub 4, 0
    trap_stub 5, 0
    trap_stub 6, 0
    trap_stub 7, 0
    trap_stub 8, 1
    trap_stub 9, 0
    trap_stub 10, 1
    trap_stub 11, 1
    trap_stub 12, 1
    trap_stub 13, 1
    trap_stub 14, 1
    trap_stub 15, 0
    trap_stub 16, 0
    trap_stub 17, 1
    trap_stub 18, 0
    trap_stub 19, 0

trap_common:
    andq $-16, %rsp
    cld
    call traps_fatal
    ud2

    .section .rodata
    .balign 8
    .globl trap_entries
trap_entries:
    .irp v, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19
    .quad trap_\v
    .endr

    .section .note.GNU-stack, "", @progbits
