/*
 * conserv: chaosd's console server. For each chaos guest it is given, it
 * maps the guest's PV console ring, binds the ring's event channel, keeps
 * the newest CONSERV_HISTORY bytes of output, appends the output to a
 * per-domain log file when it has a log folder, and relays output to and
 * keyboard input from the clients attached to that console (the
 * CHAOSD_CONSOLE exchange of chaosd_proto.h).
 *
 * It serves consoles that no other backend serves: chaosd uses it only
 * when no xenstored runs, for then no xenconsoled can. A console whose
 * event channel another program has bound already is left to it.
 *
 * Every call comes from chaosd's event loop but conserv_prebind, which
 * the pool's refill thread makes.
 */
#ifndef CHAOS_CONSERV_H
#define CHAOS_CONSERV_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xenctrl.h>

#define CONSERV_HISTORY (64 * 1024)
#define CONSERV_MAX_CLIENTS 64      /* attached clients, all consoles */

struct conserv;

/* Logs a line (printf-style), as chaosd's say. */
typedef void conserv_say(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/*
 * Opens the server: its event channel and foreign memory handles. With
 * LOG_DIR (a folder, made 0700 if missing), each console's output is
 * appended to LOG_DIR/NAME.log. Returns NULL after saying why.
 */
struct conserv *conserv_open(const char *log_dir, conserv_say *say);

/* Stops serving every console and hangs up on every attached client. */
void conserv_close(struct conserv *cs);

/* The descriptor to poll for POLLIN: guest output or input room. */
int conserv_fd(const struct conserv *cs);

/*
 * Starts serving DOMID, with Xen handle HANDLE, named NAME, whose console
 * ring is the frame MFN and whose guest end of the console channel is
 * PORT: binds the channel (or takes conserv_prebind's binding), so that
 * the guest finds its console connected.
 * The ring is mapped, and what it holds taken in, by conserv_map_rings,
 * or at the first event or client that needs it: a create's reply need
 * not wait for that. Says why it cannot (another program serves the
 * console, say); that domain is then left alone until conserv_forget.
 */
void conserv_add(struct conserv *cs, uint32_t domid, const uint8_t handle[16],
                 const char *name, uint64_t mfn, uint32_t port);

/*
 * Binds the console channel PORT of shell DOMID before any create takes
 * the shell, so that conserv_add of the guest built into it finds the
 * channel bound: the bind (an interrupt made in dom0's kernel) then costs
 * the create nothing. Safe to call from any thread while the server is
 * open. Undone by conserv_forget_gone once DOMID is gone or dying; when
 * it cannot bind it says why, and conserv_add binds as for any domain.
 */
void conserv_prebind(struct conserv *cs, uint32_t domid, uint32_t port);

/* Maps the rings conserv_add left for later and takes in their output;
 * one comparison when there are none. */
void conserv_map_rings(struct conserv *cs);

/* Whether DOMID with HANDLE was given to conserv_add (served or left
 * alone); false for an earlier domain that had its domid. */
bool conserv_knows(const struct conserv *cs, uint32_t domid,
                   const uint8_t handle[16]);

/* Whether DOMID's console is served. */
bool conserv_serves(const struct conserv *cs, uint32_t domid);

/*
 * Forgets every domain that is not among the N domains INFOS (in domid
 * order, as ts_list gives them) with the same handle, or is dying there:
 * takes in its last output, closes its log and hangs up on its clients.
 * (A dying domain is gone: our mapping of its ring would keep it.) Undoes
 * the prebindings of shells not among INFOS or dying there.
 */
void conserv_forget_gone(struct conserv *cs, const xc_domaininfo_t *infos,
                         size_t n);

/* Stops serving DOMID's console, as conserv_forget_gone does for a
 * domain gone: before it is destroyed, so that no mapping of ours keeps
 * its memory from Xen. */
void conserv_remove(struct conserv *cs, uint32_t domid);

/* Takes in the output of every console whose guest notified. */
void conserv_handle_events(struct conserv *cs);

/*
 * Attaches client FD (a connected chaosd socket, already answered with
 * status 0) to DOMID's served console: sends it the history, then with
 * FOLLOW keeps it (conserv owns FD from then on, and closes it) and
 * relays; without FOLLOW leaves FD to the caller, who closes it. Returns
 * true when conserv took FD.
 */
bool conserv_attach(struct conserv *cs, uint32_t domid, int fd, bool follow);

/* Fills up to MAX entries of PFD with the attached clients' descriptors
 * (POLLIN; -1 for a client whose last input still waits for room in the
 * guest's ring, so that typing ahead is held back, not lost); returns how
 * many. */
size_t conserv_poll_clients(const struct conserv *cs, struct pollfd *pfd,
                            size_t max);

/* Serves the attached client FD, which poll found ready: its keyboard
 * input goes to the guest; a hang-up or a bad message detaches it. */
void conserv_client_ready(struct conserv *cs, int fd);

#endif
