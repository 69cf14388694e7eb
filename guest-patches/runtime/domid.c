/*
 * domid.c: our own domain id, declared in domid.h.
 */
#include "domid.h"
#include "events.h"

int domid_self(domid_t *domid)
{
    struct evtchn_status st;
    evtchn_port_t port;
    int rc = evtchn_alloc_unbound(DOMID_SELF, &port);

    if (rc)
        return rc;
    rc = evtchn_status(port, &st);
    evtchn_close(port);
    if (rc)
        return rc;
    if (st.status != EVTCHNSTAT_unbound)
        return -XEN_EIO;
    *domid = st.u.unbound.dom;
    return 0;
}
