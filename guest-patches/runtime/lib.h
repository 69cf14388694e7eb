/*
 * lib.h: the few C library string functions the runtime uses.
 *
 * In the guest (freestanding, no libc) they come from string.c; gcc may
 * also emit calls to memcpy/memset/memmove/memcmp on its own, so they must
 * exist with the standard names and prototypes. In the host build of the
 * pure modules they come from the C library.
 */
#ifndef CHAOS_RT_LIB_H
#define CHAOS_RT_LIB_H

#include <stddef.h>

#if __STDC_HOSTED__
#include <string.h>
#else
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
