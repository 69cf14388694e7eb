/*
 * xencons_ring.c: the console ring producer and consumer declared in
 * xencons_ring.h, on bytering.
 */
#include "barrier.h"
#include "bytering.h"
#include "xencons_ring.h"

size_t xencons_out_put(struct xencons_interface *intf, const char *buf,
                       size_t len)
{
    return bytering_put(intf->out, sizeof(intf->out), &intf->out_prod,
                        &intf->out_cons, buf, len);
}

bool xencons_out_has_room(const struct xencons_interface *intf)
{
    return bytering_used(sizeof(intf->out), &intf->out_prod,
                         &intf->out_cons) < sizeof(intf->out);
}

bool xencons_out_drained(const struct xencons_interface *intf)
{
    return READ_ONCE(intf->out_cons) == READ_ONCE(intf->out_prod);
}

size_t xencons_in_get(struct xencons_interface *intf, char *buf, size_t len)
{
    return bytering_get(intf->in, sizeof(intf->in), &intf->in_prod,
                        &intf->in_cons, buf, len);
}
