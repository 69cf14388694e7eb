/*
 * domid.h: our own domain id.
 */
#ifndef CHAOS_RT_DOMID_H
#define CHAOS_RT_DOMID_H

#include "xen_iface.h"

/*
 * Finds our domain id, which a PV guest is not told (start_info has no
 * field for it and xenstore may not exist). Xen resolves DOMID_SELF to the
 * caller's real id when it records the remote end of a new unbound port,
 * and EVTCHNOP_status reports that id: so we allocate a port with
 * remote_dom = DOMID_SELF, read its status, and close it again.
 * Returns 0 and the id in *domid, or a negative Xen errno.
 */
int domid_self(domid_t *domid);

#endif
