/*
 * evtchn-peers DOMID: prints how many of dom0's event channel ports are
 * bound to, or waiting for, domain DOMID (EVTCHNOP_status of every port
 * dom0 has). When a domain dies, Xen turns dom0's end of each channel
 * they shared back into an unbound port still naming it; a backend that
 * forgot to close its end leaves one here. The tests expect 0 after a
 * destroy.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xenctrl.h>

int main(int argc, char **argv)
{
    xc_interface *xch;
    unsigned long domid;
    unsigned count = 0, misses = 0;
    char *end;

    if (argc != 2 || (domid = strtoul(argv[1], &end, 10), *end) ||
        domid >= DOMID_FIRST_RESERVED) {
        fprintf(stderr, "usage: evtchn-peers DOMID\n");
        return 2;
    }
    xch = xc_interface_open(NULL, NULL, 0);
    if (!xch) {
        fprintf(stderr, "evtchn-peers: cannot open privcmd: %s\n",
                strerror(errno));
        return 1;
    }
    /* Ports are allocated low first: stop after a long run of invalid
     * ones (EINVAL past the domain's last bucket). */
    for (evtchn_port_t port = 1; misses < 1024; port++) {
        struct evtchn_status st = { .dom = DOMID_SELF, .port = port };

        if (xc_evtchn_status(xch, &st) < 0) {
            misses++;
            continue;
        }
        misses = 0;
        if ((st.status == EVTCHNSTAT_unbound && st.u.unbound.dom == domid) ||
            (st.status == EVTCHNSTAT_interdomain &&
             st.u.interdomain.dom == domid))
            count++;
    }
    printf("%u\n", count);
    xc_interface_close(xch);
    return 0;
}
