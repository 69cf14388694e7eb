/*
 * bytering.c: the byte ring producer and consumer declared in bytering.h.
 */
#include "barrier.h"
#include "bytering.h"

size_t bytering_put(char *ring, uint32_t size, uint32_t *prod,
                    const uint32_t *cons, const void *buf, size_t len)
{
    uint32_t c = READ_ONCE(*cons);
    uint32_t p = *prod;
    uint32_t used = p - c;
    const char *b = buf;
    size_t space, n, i;

    /* Keep the slot writes below after the read that frees them. */
    mb();
    if (used > size)
        return 0;
    space = size - used;
    n = len < space ? len : space;
    for (i = 0; i < n; i++)
        ring[(p + i) & (size - 1)] = b[i];
    wmb();
    WRITE_ONCE(*prod, p + (uint32_t)n);
    return n;
}

size_t bytering_get(const char *ring, uint32_t size, const uint32_t *prod,
                    uint32_t *cons, void *buf, size_t len)
{
    uint32_t p = READ_ONCE(*prod);
    uint32_t c = READ_ONCE(*cons);
    uint32_t used = p - c;
    char *b = buf;
    size_t n, i;

    if (used > size) {
        WRITE_ONCE(*cons, p);
        return 0;
    }
    /* Read no slot before the counter that covers it. */
    rmb();
    n = len < used ? len : used;
    for (i = 0; i < n; i++)
        b[i] = ring[(c + i) & (size - 1)];
    /* Finish reading the slots before they are handed back. */
    mb();
    WRITE_ONCE(*cons, c + (uint32_t)n);
    return n;
}

uint32_t bytering_used(uint32_t size, const uint32_t *prod,
                       const uint32_t *cons)
{
    uint32_t used = READ_ONCE(*prod) - READ_ONCE(*cons);

    return used > size ? size + 1 : used;
}
