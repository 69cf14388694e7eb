/*
 * evtchn_2l.c: 2-level event channel bitmaps, declared in evtchn_2l.h.
 */
#include "evtchn_2l.h"

static xen_ulong_t bit_of(evtchn_port_t port)
{
    return (xen_ulong_t)1 << (port % EVTCHN_2L_BITS_PER_WORD);
}

void evtchn_2l_set(xen_ulong_t *words, evtchn_port_t port)
{
    __atomic_fetch_or(&words[port / EVTCHN_2L_BITS_PER_WORD], bit_of(port),
                      __ATOMIC_SEQ_CST);
}

void evtchn_2l_clear(xen_ulong_t *words, evtchn_port_t port)
{
    __atomic_fetch_and(&words[port / EVTCHN_2L_BITS_PER_WORD], ~bit_of(port),
                       __ATOMIC_SEQ_CST);
}

bool evtchn_2l_test(const xen_ulong_t *words, evtchn_port_t port)
{
    return __atomic_load_n(&words[port / EVTCHN_2L_BITS_PER_WORD],
                           __ATOMIC_RELAXED) & bit_of(port);
}

void evtchn_2l_set_all(xen_ulong_t *words)
{
    unsigned int w;

    for (w = 0; w < EVTCHN_2L_NR_WORDS; w++)
        __atomic_store_n(&words[w], ~(xen_ulong_t)0, __ATOMIC_SEQ_CST);
}

unsigned int evtchn_2l_dispatch(xen_ulong_t *sel, xen_ulong_t *pending,
                                const xen_ulong_t *mask, evtchn_2l_fn *fn,
                                void *arg)
{
    xen_ulong_t words = __atomic_exchange_n(sel, 0, __ATOMIC_SEQ_CST);
    unsigned int delivered = 0;

    while (words) {
        unsigned int w = (unsigned int)__builtin_ctzl(words);
        xen_ulong_t bits;

        words &= words - 1;
        bits = __atomic_load_n(&pending[w], __ATOMIC_SEQ_CST) &
               ~__atomic_load_n(&mask[w], __ATOMIC_SEQ_CST);
        while (bits) {
            evtchn_port_t port = w * EVTCHN_2L_BITS_PER_WORD +
                                 (evtchn_port_t)__builtin_ctzl(bits);

            bits &= bits - 1;
            evtchn_2l_clear(pending, port);
            fn(port, arg);
            delivered++;
        }
    }
    return delivered;
}
