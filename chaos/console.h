/*
 * console: a domain's PV console, read from its ring in dom0.
 */
#ifndef CHAOS_CONSOLE_H
#define CHAOS_CONSOLE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "toolstack.h"

/*
 * Shows DOMID's console. Without FOLLOW: prints what its ring holds (the
 * last 2 KiB the guest wrote), mapped read-only so that it takes nothing
 * from xenconsoled, and returns. With FOLLOW: prints the same, then new
 * output, and sends what is typed to the guest until Ctrl-] (or the
 * domain goes away); when xenconsoled serves the console, through
 * xenconsoled's pty, else through the ring and its event channel.
 * Returns an exit status (0, or 1 after printing why on ERR).
 */
int console_run(struct toolstack *ts, uint32_t domid, bool follow, FILE *err);

/* console_chaosd's answer when chaosd does not serve the console. */
#define CONSOLE_ELSEWHERE (-1)

/*
 * Shows DOMID's console through chaosd, on the connection FD (which the
 * caller closes): without FOLLOW, what chaosd keeps of its output (the
 * last 64 KiB); with FOLLOW, that, then new output, sending what is typed
 * to the guest until Ctrl-], end of input, or the domain going away.
 * Returns an exit status, or CONSOLE_ELSEWHERE when chaosd does not serve
 * that console (console_run then shows it).
 */
int console_chaosd(int fd, uint32_t domid, bool follow, FILE *err);

#endif
