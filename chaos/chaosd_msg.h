/*
 * chaosd_msg: encoding and validating chaosd protocol messages
 * (chaosd_proto.h). A received message is untrusted: chaosd_decode checks
 * every size, count and field before anything reads the body.
 */
#ifndef CHAOS_CHAOSD_MSG_H
#define CHAOS_CHAOSD_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "chaosd_proto.h"

/* A decoded message; its pointers point into the buffer it came from. */
struct chaosd_msg {
    struct chaosd_hdr hdr;
    union {
        struct {
            uint32_t flags, n_fds;
            const char *source, *config;
            size_t source_len, config_len;
        } create;
        uint32_t domid;                 /* DESTROY */
        struct {                        /* DESTROY_NAMED */
            uint32_t flags;
            const char *domain;         /* not NUL-terminated */
            size_t domain_len;
        } named;
        struct {                        /* CONSOLE */
            uint32_t domid, flags;
        } console;
        struct {                        /* CONSOLE_DATA */
            const unsigned char *bytes; /* any values, NUL included */
            size_t len;                 /* 0 to CHAOSD_DATA_MAX */
        } data;
        struct {
            int32_t status;
            uint32_t domid;
            const char *err, *out;
            size_t err_len, out_len;
        } reply;
    } u;
};

/*
 * Validates the LEN bytes at BUF, received with N_FDS descriptors, as one
 * message, into OUT. Returns 0, or -1 with *WHY naming the first problem
 * (a static string, for the error reply and the log). Never reads outside
 * BUF, whatever it holds.
 */
int chaosd_decode(const void *buf, size_t len, size_t n_fds,
                  struct chaosd_msg *out, const char **why);

/*
 * Encode a message into BUF (SIZE bytes). Return its length, or 0 when it
 * does not fit or breaks a rule of the protocol (a string with a NUL, an
 * unknown flag, a message over CHAOSD_MSG_MAX).
 */
size_t chaosd_encode_create(void *buf, size_t size, uint32_t seq,
                            uint32_t flags, uint32_t n_fds,
                            const char *source, size_t source_len,
                            const char *config, size_t config_len);
size_t chaosd_encode_destroy(void *buf, size_t size, uint32_t seq,
                             uint32_t domid);
size_t chaosd_encode_destroy_named(void *buf, size_t size, uint32_t seq,
                                   uint32_t flags, const char *domain,
                                   size_t domain_len);
size_t chaosd_encode_pool(void *buf, size_t size, uint32_t seq);
size_t chaosd_encode_console(void *buf, size_t size, uint32_t seq,
                             uint32_t domid, uint32_t flags);
size_t chaosd_encode_reply(void *buf, size_t size, uint32_t seq,
                           int32_t status, uint32_t domid, const char *err,
                           size_t err_len, const char *out, size_t out_len);

/*
 * Encode a CONSOLE_DATA message carrying the LEN bytes at BYTES (any
 * values; BYTES may be NULL when LEN is 0) into BUF (SIZE bytes), with seq
 * 0. Return its length, or 0 when LEN is over CHAOSD_DATA_MAX or it does
 * not fit: a longer stretch of console is sent as several messages.
 */
size_t chaosd_encode_console_data(void *buf, size_t size, const void *bytes,
                                  size_t len);

#endif
