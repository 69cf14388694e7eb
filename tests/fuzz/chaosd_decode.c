/*
 * libFuzzer target for chaosd_decode: the bytes a client can send chaosd.
 * The first input byte picks how many descriptors came with the message
 * (0-2); the rest is the message. Besides never crashing or reading out of
 * bounds (ASan, UBSan), every message the decoder accepts must encode back
 * to exactly the same bytes: nothing it accepts is ambiguous.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../chaos/chaosd_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static unsigned char again[CHAOSD_MSG_MAX];
    struct chaosd_msg m;
    const char *why;
    size_t n_fds, n = 0;
    unsigned char *copy;

    if (size == 0)
        return 0;
    n_fds = data[0] % 3;
    /* An exact-size copy, so that ASan sees any read past the end. */
    copy = malloc(size - 1 ? size - 1 : 1);
    if (!copy)
        return 0;
    memcpy(copy, data + 1, size - 1);
    if (chaosd_decode(copy, size - 1, n_fds, &m, &why) == 0) {
        switch (m.hdr.type) {
        case CHAOSD_CREATE:
            n = chaosd_encode_create(again, sizeof(again), m.hdr.seq,
                                     m.u.create.flags, m.u.create.n_fds,
                                     m.u.create.source, m.u.create.source_len,
                                     m.u.create.config, m.u.create.config_len);
            break;
        case CHAOSD_DESTROY:
            n = chaosd_encode_destroy(again, sizeof(again), m.hdr.seq,
                                      m.u.domid);
            break;
        case CHAOSD_DESTROY_NAMED:
            n = chaosd_encode_destroy_named(again, sizeof(again), m.hdr.seq,
                                            m.u.named.flags, m.u.named.domain,
                                            m.u.named.domain_len);
            break;
        case CHAOSD_POOL:
            n = chaosd_encode_pool(again, sizeof(again), m.hdr.seq);
            break;
        case CHAOSD_CONSOLE:
            n = chaosd_encode_console(again, sizeof(again), m.hdr.seq,
                                      m.u.console.domid, m.u.console.flags);
            break;
        case CHAOSD_CONSOLE_DATA:
            n = chaosd_encode_console_data(again, sizeof(again),
                                           m.u.data.bytes, m.u.data.len);
            break;
        case CHAOSD_REPLY:
            n = chaosd_encode_reply(again, sizeof(again), m.hdr.seq,
                                    m.u.reply.status, m.u.reply.domid,
                                    m.u.reply.err, m.u.reply.err_len,
                                    m.u.reply.out, m.u.reply.out_len);
            break;
        }
        if (n != size - 1 || memcmp(again, copy, n) != 0)
            abort();
    }
    free(copy);
    return 0;
}
