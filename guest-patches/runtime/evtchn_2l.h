/*
 * evtchn_2l.h: the 2-level event channel bitmaps of shared_info. Pure: the
 * functions work on any arrays, so the host tests drive them on plain
 * memory and events.c on the real shared_info page.
 *
 * Port p is bit (p % 64) of word (p / 64) of evtchn_pending[] and
 * evtchn_mask[]; bit w of the vcpu's evtchn_pending_sel says that word w
 * of evtchn_pending may have bits set. Xen updates these words
 * concurrently, so every read-modify-write is a locked atomic operation.
 */
#ifndef CHAOS_RT_EVTCHN_2L_H
#define CHAOS_RT_EVTCHN_2L_H

#include "xen_iface.h"

#define EVTCHN_2L_BITS_PER_WORD (sizeof(xen_ulong_t) * 8)
#define EVTCHN_2L_NR_WORDS      EVTCHN_2L_BITS_PER_WORD
#define EVTCHN_2L_NR_PORTS      (EVTCHN_2L_NR_WORDS * EVTCHN_2L_BITS_PER_WORD)

typedef void evtchn_2l_fn(evtchn_port_t port, void *arg);

/* Atomically sets / clears port's bit in bitmap words[]. */
void evtchn_2l_set(xen_ulong_t *words, evtchn_port_t port);
void evtchn_2l_clear(xen_ulong_t *words, evtchn_port_t port);

/* Reads port's bit in words[]. */
bool evtchn_2l_test(const xen_ulong_t *words, evtchn_port_t port);

/* Sets every bit of the 4096-port bitmap words[] (masks all ports). */
void evtchn_2l_set_all(xen_ulong_t *words);

/*
 * Delivers the pending, unmasked ports: atomically takes (exchanges with 0)
 * the selector *sel, then for each selected word, for each bit that is
 * pending and not masked, atomically clears the pending bit and then calls
 * fn(port, arg), in increasing port order. Pending bits of masked ports
 * are left set (an unmask re-raises them). Returns the number of ports
 * delivered.
 */
unsigned int evtchn_2l_dispatch(xen_ulong_t *sel, xen_ulong_t *pending,
                                const xen_ulong_t *mask, evtchn_2l_fn *fn,
                                void *arg);

#endif
