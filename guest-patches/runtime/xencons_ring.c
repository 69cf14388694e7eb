/*
 * xencons_ring.c: the console ring producer and consumer declared in
 * xencons_ring.h.
 */
#include "barrier.h"
#include "xencons_ring.h"

size_t xencons_out_put(struct xencons_interface *intf, const char *buf,
                       size_t len)
{
    XENCONS_RING_IDX cons = READ_ONCE(intf->out_cons);
    XENCONS_RING_IDX prod = intf->out_prod;
    XENCONS_RING_IDX used = prod - cons;
    size_t space, n, i;

    /* Keep the slot writes below after the out_cons read that frees them. */
    mb();
    if (used > sizeof(intf->out))
        return 0;
    space = sizeof(intf->out) - used;
    n = len < space ? len : space;
    for (i = 0; i < n; i++)
        intf->out[MASK_XENCONS_IDX(prod + i, intf->out)] = buf[i];
    wmb();
    WRITE_ONCE(intf->out_prod, prod + (XENCONS_RING_IDX)n);
    return n;
}

bool xencons_out_has_room(const struct xencons_interface *intf)
{
    XENCONS_RING_IDX used = READ_ONCE(intf->out_prod) -
                            READ_ONCE(intf->out_cons);

    return used < sizeof(intf->out);
}

bool xencons_out_drained(const struct xencons_interface *intf)
{
    return READ_ONCE(intf->out_cons) == READ_ONCE(intf->out_prod);
}

size_t xencons_in_get(struct xencons_interface *intf, char *buf, size_t len)
{
    XENCONS_RING_IDX prod = READ_ONCE(intf->in_prod);
    XENCONS_RING_IDX cons = READ_ONCE(intf->in_cons);
    XENCONS_RING_IDX used = prod - cons;
    size_t n, i;

    if (used > sizeof(intf->in)) {
        WRITE_ONCE(intf->in_cons, prod);
        return 0;
    }
    /* Read no slot before the in_prod that covers it. */
    rmb();
    n = len < used ? len : used;
    for (i = 0; i < n; i++)
        buf[i] = intf->in[MASK_XENCONS_IDX(cons + i, intf->in)];
    /* Finish reading the slots before in_cons hands them back. */
    mb();
    WRITE_ONCE(intf->in_cons, cons + (XENCONS_RING_IDX)n);
    return n;
}
