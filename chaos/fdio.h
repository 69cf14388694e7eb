/*
 * fdio: moving whole buffers through file descriptors, retrying short
 * transfers and EINTR.
 */
#ifndef CHAOS_FDIO_H
#define CHAOS_FDIO_H

#include <stddef.h>

/* Writes all LEN bytes of BUF to FD. Returns 0 or an errno value. */
int fd_write_all(int fd, const void *buf, size_t len);

/* Reads exactly LEN bytes from FD into BUF. Returns 0, EIO when the file
 * ends first, or another errno value. */
int fd_read_exact(int fd, void *buf, size_t len);

#endif
