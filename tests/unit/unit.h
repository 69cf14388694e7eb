/*
 * unit.h: the Check suites of the unit-test runner, one per module under
 * test (tests/unit/test_NAME.c defines NAME_suite); main.c runs them all.
 */
#ifndef CHAOS_TESTS_UNIT_UNIT_H
#define CHAOS_TESTS_UNIT_UNIT_H

#include <check.h>

Suite *aside_suite(void);
Suite *chaosd_msg_suite(void);
Suite *client_suite(void);
Suite *cmdline_suite(void);
Suite *consring_suite(void);
Suite *daytime_suite(void);
Suite *domcfg_suite(void);
Suite *evtchn_2l_suite(void);
Suite *fmt_suite(void);
Suite *gnttab_table_suite(void);
Suite *imgcache_suite(void);
Suite *info_suite(void);
Suite *list_suite(void);
Suite *netback_ring_suite(void);
Suite *noxs_suite(void);
Suite *pvclock_suite(void);
Suite *reaper_suite(void);
Suite *state_suite(void);
Suite *xencons_ring_suite(void);
Suite *xendevd_events_suite(void);
Suite *xendevd_port_suite(void);
Suite *xlcfg_suite(void);

#endif
