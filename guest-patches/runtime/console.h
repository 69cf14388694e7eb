/*
 * console.h: output on, and input from, the PV console ring.
 *
 * The page and its event channel come from start_info->console.domU. The
 * backend (xenconsoled in dom0) copies the ring into the guest's console
 * log. On a release build of Xen, HYPERVISOR_console_io output from a
 * domU is dropped, so the ring is the only output a guest has.
 *
 * Whether anyone reads the ring is told by the console port's state: it is
 * EVTCHNSTAT_interdomain once the backend has bound it, EVTCHNSTAT_unbound
 * before (or after the backend went away). We only ever wait for the
 * backend when it is bound.
 *
 * The backend notifies the console port when it has consumed output and
 * when it has written input. The port stays masked unless a guest binds a
 * handler to it (console_bind) to wait for input with sched_block().
 *
 * Writers and readers are serialised by disabling event upcalls, so a
 * handler may print while the main line is printing.
 */
#ifndef CHAOS_RT_CONSOLE_H
#define CHAOS_RT_CONSOLE_H

#include "events.h"
#include "xen_iface.h"

/*
 * Finds the console ring (a machine frame: converted through the M2P) and
 * its port. Without a usable console page, output is dropped.
 */
void console_init(const start_info_t *si);

/* True when a backend has bound the console's event channel. */
bool console_connected(void);

/*
 * Writes len bytes, notifying the backend after each chunk. When the ring
 * is full and the backend is connected, waits for it to make room, for at
 * most CONSOLE_STALL_NS without progress; otherwise (no backend, or a
 * stalled one) drops the rest.
 */
void console_write(const char *s, size_t len);

/* Formats (fmt.h conversions, at most 255 bytes) and writes. */
void console_printf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/*
 * If a backend is connected, waits until it has consumed everything
 * written (out_cons == out_prod), for at most timeout_ns. Returns at once
 * when nobody is connected.
 */
void console_flush(uint64_t timeout_ns);

/*
 * Takes up to len bytes of input into buf, oldest first, and returns how
 * many were taken (0 when there is none, or no console). Notifies the
 * backend whenever the input ring's in_cons moved, so it can write more.
 * Input indices that claim more than the ring holds drop all pending
 * input (xencons_in_get).
 */
size_t console_read(char *buf, size_t len);

/*
 * Binds handler(port, arg) to the console port and unmasks it, so every
 * notification from the backend (input written, output consumed) runs
 * the handler and wakes sched_block(). console_write() and
 * console_flush() clear the port's pending bit while they wait for the
 * backend, so a notification during them may not reach the handler: after
 * writing, read the input again before waiting for more. Returns 0,
 * -XEN_ENODEV without a console, or the error of evtchn_bind() or
 * evtchn_unmask().
 */
int console_bind(evtchn_handler_t *handler, void *arg);

#define CONSOLE_STALL_NS (5 * 1000000000ULL)

#endif
