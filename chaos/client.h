/*
 * client: the chaos command line's side of the chaosd protocol
 * (chaosd_proto.h): finding the daemon and one request/reply exchange.
 */
#ifndef CHAOS_CLIENT_H
#define CHAOS_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "chaosd_msg.h"

/* Writes chaosd's socket path into BUF (SIZE bytes): $CHAOSD_SOCKET, else
 * chaosd.sock in the state folder ($CHAOS_STATE_DIR or /run/chaos), where
 * chaosd puts it by default. Returns the path's length; SIZE or more means
 * it does not fit, and BUF then holds no path. */
size_t client_socket_path(char *buf, size_t size);

/*
 * Connects to chaosd. Returns 1 with the connection in *FD; 0 when no
 * chaosd listens (no socket, or a stale one): the caller works directly;
 * -1 after printing why on ERR when a chaosd is there but refuses this
 * caller (permissions) or the connection fails otherwise.
 */
int client_connect(int *fd, FILE *err);

/*
 * Sends the LEN bytes of MSG with the N_FDS descriptors FDS on FD, and
 * waits for the reply, received into BUF (CHAOSD_MSG_MAX bytes; it may
 * be MSG, which is sent before anything is received) and decoded into
 * *REPLY. With LAST the caller sends nothing more on FD: its sending
 * side is shut once the request is out, so that chaosd finds the end of
 * the requests right after its reply and closes the connection then,
 * rather than waking again for the hangup when the caller exits.
 * Returns 0, or -1 after printing why on ERR (the daemon went away, or
 * its reply is malformed).
 */
int client_call(int fd, const void *msg, size_t len, const int *fds,
                size_t n_fds, bool last, void *buf, struct chaosd_msg *reply,
                FILE *err);

/* Prints REPLY's texts on OUT and ERR; returns its status. */
int client_finish(const struct chaosd_msg *reply, FILE *out, FILE *err);

#endif
