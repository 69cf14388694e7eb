/*
 * sockserv: the UNIX socket a daemon of chaos (chaosd, noxsd) serves on:
 * one instance per socket, and a stale socket left by one that died is
 * replaced. Messages go to the daemon's log (daemonlog.h), prefixed with
 * PROG.
 */
#ifndef CHAOS_SOCKSERV_H
#define CHAOS_SOCKSERV_H

#include <sys/types.h>

/* Takes the single-instance lock, SOCKET_PATH.lock (flock, held while the
 * descriptor stays open), first making the socket's folder (one level,
 * mode 0700) when it is missing. Returns its descriptor, or -1 after saying why
 * ("another PROG is running on ..." when one is). */
int sockserv_lock(const char *prog, const char *socket_path);

/* Listens on PATH (SOCK_SEQPACKET, non-blocking, mode 0600), first
 * removing a socket a dead instance left there; the caller holds the
 * lock, so no live one owns it. Refuses a PATH that exists and is not a
 * socket. Returns the socket or -1 after saying why. */
int sockserv_listen(const char *prog, const char *path);

/* Accepts the next client waiting on LISTEN_FD (non-blocking,
 * close-on-exec) and gives its user and process (SO_PEERCRED) in *UID and
 * *PID. Returns its descriptor, or -1 when none waits; a client whose
 * credentials cannot be read is closed, and failures other than "none
 * waits" are logged. */
int sockserv_accept(const char *prog, int listen_fd, uid_t *uid, pid_t *pid);

#endif
