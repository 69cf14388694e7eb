/*
 * main.c: the unit-test runner. Runs every suite (forking per test unless
 * CK_FORK=no), prints Check's summary and exits non-zero on any failure.
 */
#include <stdlib.h>

#include "unit.h"

int main(void)
{
    SRunner *sr = srunner_create(cmdline_suite());
    int failed;

    srunner_add_suite(sr, consring_suite());
    srunner_add_suite(sr, daytime_suite());
    srunner_add_suite(sr, domcfg_suite());
    srunner_add_suite(sr, aside_suite());
    srunner_add_suite(sr, chaosd_msg_suite());
    srunner_add_suite(sr, client_suite());
    srunner_add_suite(sr, evtchn_2l_suite());
    srunner_add_suite(sr, fmt_suite());
    srunner_add_suite(sr, gnttab_table_suite());
    srunner_add_suite(sr, imgcache_suite());
    srunner_add_suite(sr, info_suite());
    srunner_add_suite(sr, list_suite());
    srunner_add_suite(sr, netback_ring_suite());
    srunner_add_suite(sr, noxs_suite());
    srunner_add_suite(sr, pvclock_suite());
    srunner_add_suite(sr, reaper_suite());
    srunner_add_suite(sr, state_suite());
    srunner_add_suite(sr, xencons_ring_suite());
    srunner_add_suite(sr, xendevd_events_suite());
    srunner_add_suite(sr, xendevd_port_suite());
    srunner_add_suite(sr, xlcfg_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
