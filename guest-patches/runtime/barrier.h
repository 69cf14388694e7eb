/*
 * barrier.h: compiler and memory barriers for memory shared with Xen and
 * with backends in other domains. x86-64 only.
 *
 * x86 is TSO: loads are not reordered with other loads, stores are not
 * reordered with other stores, and stores are not reordered before earlier
 * loads. So rmb() and wmb() only have to stop the compiler. The one
 * reordering the CPU does (a later load passing an earlier store) needs
 * mb().
 */
#ifndef CHAOS_RT_BARRIER_H
#define CHAOS_RT_BARRIER_H

#define barrier() __asm__ __volatile__("" ::: "memory")
#define rmb()     barrier()
#define wmb()     barrier()
#define mb()      __asm__ __volatile__("mfence" ::: "memory")

/* One access, exactly once, never merged or re-read by the compiler. */
#define READ_ONCE(x)     (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

#endif
