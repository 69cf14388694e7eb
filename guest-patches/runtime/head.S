/*
 * head.S: what Xen's domain builder reads and jumps to.
 *
 *  - The Xen ELF notes (.note.Xen, covered by a PT_NOTE program header,
 *    see guest.lds) that describe the image to libelf.
 *  - _start, the entry point, and the boot stack.
 *  - hypercall_page, which Xen fills with the hypercall stubs.
 */
#include <xen/elfnote.h>

#define BOOT_STACK_SIZE 16384

/*
 * One ELF note: name "Xen", the given type, and desc (a directive that
 * emits the payload: .asciz for strings, .quad for 64-bit numbers).
 */
.macro xen_note type:req, desc:vararg
    .pushsection .note.Xen, "a", @note
    .balign 4
    .long 2f - 1f
    .long 4f - 3f
    .long \type
1:  .asciz "Xen"
2:  .balign 4
3:  \desc
4:  .balign 4
    .popsection
.endm

    xen_note XEN_ELFNOTE_GUEST_OS, .asciz "chaos"
    /* Needed because GUEST_OS does not start with "linux". */
    xen_note XEN_ELFNOTE_LOADER, .asciz "generic"
    xen_note XEN_ELFNOTE_XEN_VERSION, .asciz "xen-3.0"
    /* Linked at 0, loaded at pseudo-physical 0: va == pa == pfn << 12. */
    xen_note XEN_ELFNOTE_VIRT_BASE, .quad 0
    xen_note XEN_ELFNOTE_PADDR_OFFSET, .quad 0
    xen_note XEN_ELFNOTE_ENTRY, .quad _start
    xen_note XEN_ELFNOTE_HYPERCALL_PAGE, .quad hypercall_page

/*
 * Entry, in 64-bit mode, with events masked, on a stack Xen set up at the
 * end of the initial mapping; rsi = virtual address of start_info.
 */
    .section .text.head, "ax", @progbits
    .globl _start
_start:
    cld
    leaq boot_stack_top(%rip), %rsp
    movq %rsi, %rdi
    call runtime_start
    ud2

/*
 * Xen overwrites this page with one 32-byte stub per hypercall. The int3
 * filling makes a call into an unfilled page trap instead of running
 * zeros.
 */
    .section .hypercall_page, "ax", @progbits
    .balign 4096
    .globl hypercall_page
hypercall_page:
    .fill 4096, 1, 0xcc

/*
 * The page below the stack is unmapped at boot (runtime_start), so an
 * overflow faults instead of silently overwriting other bss data.
 */
    .section .bss.boot_stack, "aw", @nobits
    .balign 4096
    .globl boot_stack_guard
boot_stack_guard:
    .skip 4096
boot_stack:
    .skip BOOT_STACK_SIZE
boot_stack_top:

    .section .note.GNU-stack, "", @progbits
