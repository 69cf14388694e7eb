/*
 * list: `xl list` formatting. See list.h.
 */
#include "list.h"

static const char shutdown_letters[] = "-rscwS";

void list_print_header(FILE *out, bool verbose)
{
    fputs("Name                                        ID   Mem VCPUs\t"
          "State\tTime(s)", out);
    if (verbose)
        fputs("   UUID                            Reason-Code\t"
              "Security Label", out);
    fputc('\n', out);
}

void list_print_entry(FILE *out, const struct list_entry *e, bool verbose)
{
    unsigned int reason = e->shutdown ? e->shutdown_reason : 0;
    char reason_letter = reason < sizeof(shutdown_letters) - 1 ?
                         shutdown_letters[reason] : '?';
    const uint8_t *u = e->uuid;

    /* xl converts the time to float before dividing, losing precision. */
    fprintf(out, "%-40s %5d %5lu %5d     %c%c%c%c%c%c  %8.1f",
            e->name ? e->name : "(null)", (int)e->domid,
            (unsigned long)(e->mem_kb / 1024), (int)e->online_vcpus,
            e->running ? 'r' : '-', e->blocked ? 'b' : '-',
            e->paused ? 'p' : '-', e->shutdown ? 's' : '-', reason_letter,
            e->dying ? 'd' : '-', (float)e->cpu_time_ns / 1e9);
    if (verbose) {
        fprintf(out, " %02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                "%02x%02x%02x%02x%02x%02x", u[0], u[1], u[2], u[3], u[4],
                u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13],
                u[14], u[15]);
        if (e->shutdown)
            fprintf(out, " %8x", e->shutdown_reason);
        else
            fprintf(out, " %8s", "-");
        fprintf(out, " %16s", "-");
    }
    fputc('\n', out);
}
