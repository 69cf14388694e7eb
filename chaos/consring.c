/*
 * consring: the dom0 end of a PV console ring. See consring.h.
 */
#include "consring.h"

#include <stdint.h>

#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

/* Copies the output from index START to END (END - START <= the ring's
 * size) to BUF. */
static size_t copy_out(const struct xencons_interface *ring,
                       XENCONS_RING_IDX start, XENCONS_RING_IDX end,
                       char *buf)
{
    XENCONS_RING_IDX n = end - start;

    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    for (XENCONS_RING_IDX i = 0; i < n; i++)
        buf[i] = ring->out[MASK_XENCONS_IDX(start + i, ring->out)];
    return n;
}

/* The oldest index the ring still holds, for output written up to PROD. */
static XENCONS_RING_IDX oldest(XENCONS_RING_IDX prod)
{
    return prod < CONSRING_OUT_SIZE ? 0
                                    : prod - (XENCONS_RING_IDX)CONSRING_OUT_SIZE;
}

size_t consring_take(struct xencons_interface *ring, char *buf)
{
    XENCONS_RING_IDX cons = READ_ONCE(ring->out_cons);
    XENCONS_RING_IDX prod = READ_ONCE(ring->out_prod);
    size_t n;

    if (prod - cons > CONSRING_OUT_SIZE)    /* a broken guest */
        cons = prod - (XENCONS_RING_IDX)CONSRING_OUT_SIZE;
    n = copy_out(ring, cons, prod, buf);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    WRITE_ONCE(ring->out_cons, prod);
    return n;
}

size_t consring_consumed(const struct xencons_interface *ring, char *buf)
{
    XENCONS_RING_IDX cons = READ_ONCE(ring->out_cons);
    XENCONS_RING_IDX prod = READ_ONCE(ring->out_prod);
    XENCONS_RING_IDX start = oldest(prod);

    if (cons - start > prod - start)        /* out_cons outside the ring */
        return 0;
    return copy_out(ring, start, cons, buf);
}

size_t consring_all(const struct xencons_interface *ring, char *buf)
{
    XENCONS_RING_IDX prod = READ_ONCE(ring->out_prod);

    return copy_out(ring, oldest(prod), prod, buf);
}

size_t consring_put(struct xencons_interface *ring, const char *p,
                    size_t len)
{
    XENCONS_RING_IDX cons = READ_ONCE(ring->in_cons);
    XENCONS_RING_IDX prod = ring->in_prod;      /* ours */
    XENCONS_RING_IDX used = prod - cons, space, n;

    if (used > sizeof(ring->in))
        return 0;                       /* a broken guest: give it nothing */
    space = (XENCONS_RING_IDX)sizeof(ring->in) - used;
    n = len < space ? (XENCONS_RING_IDX)len : space;
    for (XENCONS_RING_IDX i = 0; i < n; i++)
        ring->in[MASK_XENCONS_IDX(prod + i, ring->in)] = p[i];
    __atomic_thread_fence(__ATOMIC_RELEASE);
    WRITE_ONCE(ring->in_prod, prod + n);
    return n;
}
