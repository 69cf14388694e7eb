/*
 * list: the text of `xl list` and `xl list -v` (XL-COMPAT.md section 5,
 * list), byte for byte as Xen 4.17 xl prints it.
 */
#ifndef CHAOS_LIST_H
#define CHAOS_LIST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "domcfg.h"

struct list_entry {
    const char *name;               /* NULL prints "(null)" like xl */
    uint32_t domid;
    uint64_t mem_kb;                /* current + outstanding */
    unsigned int online_vcpus;
    bool running, blocked, paused, shutdown, dying;
    unsigned int shutdown_reason;   /* meaningful when shutdown */
    uint64_t cpu_time_ns;
    uint8_t uuid[16];
};

/* Prints the header line; VERBOSE adds the -v columns. */
void list_print_header(FILE *out, bool verbose);

/*
 * Prints E's row: name, id, MiB, vcpus, the state letters "rbps" plus the
 * shutdown reason letter ('-' when not shut down, then "-rscwS" by reason,
 * '?' beyond) plus 'd', and the cpu time in seconds. VERBOSE adds the UUID,
 * the reason code ("-" unless shut down) and the security label, which
 * chaos always prints as "-".
 */
void list_print_entry(FILE *out, const struct list_entry *e, bool verbose);

/*
 * One domain configuration DC as a JSON object in the layout of libxl's
 * domain config (c_info, b_info, on_*), for the keys chaos knows, values
 * equal to libxl's defaults left out; UUID may be NULL. LEVEL is the
 * object's own indentation (four spaces a level); no final newline.
 */
void list_print_config(FILE *out, const struct domcfg *dc,
                       const uint8_t *uuid, int level);

/*
 * `xl list -l`: prints, as one JSON array, each of the N domains DOMIDS
 * with its configuration CFGS, in the layout of libxl's domain config
 * ({"domid": N, "config": {"c_info": {...}, "b_info": {...}, "on_...":}})
 * for the keys chaos knows; values equal to libxl's defaults are left out
 * as libxl leaves them out. UUIDS are the domains' handles.
 */
void list_print_json(FILE *out, size_t n, const uint32_t *domids,
                     const struct domcfg *const *cfgs,
                     const uint8_t (*uuids)[16]);

#endif
