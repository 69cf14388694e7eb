/*
 * xlcfg: the xl domain configuration file format (xl.cfg(5)).
 *
 * Accepts exactly what libxlutil 4.17 accepts and yields the same values,
 * including its quirks; the unit tests check this against libxlutil itself.
 *
 *   file       := { statement } [ assignment ]
 *   statement  := [ assignment ] ( NEWLINE | ';' )
 *   assignment := IDENT ( '=' | '+=' ) value
 *   value      := STRING | NUMBER | '[' { NEWLINE } [ list ] ']'
 *   list       := value { NEWLINE } { ',' { NEWLINE } value { NEWLINE } }
 *                 [ ',' { NEWLINE } ]
 *
 * IDENT is [a-z][._0-9a-z]*, NUMBER is [0-9][0-9a-fx]* (kept as text),
 * STRING is single- or double-quoted on one line with backslash escapes.
 * '#' starts a comment that must end with a newline. A later assignment
 * replaces an earlier one; '+=' appends to the earlier value (string to
 * string, list to list).
 */
#ifndef CHAOS_XLCFG_H
#define CHAOS_XLCFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum xlcfg_kind { XLCFG_STRING, XLCFG_LIST };

struct xlcfg_value {
    enum xlcfg_kind kind;
    int line, column;                 /* where the value starts, 1-based */
    char *string;                     /* XLCFG_STRING: never NULL */
    struct xlcfg_value **items;       /* XLCFG_LIST */
    size_t n_items;
};

struct xlcfg_setting {
    char *name;
    struct xlcfg_value *value;
    bool appended;                    /* set with '+=' */
    int line;
};

struct xlcfg {
    struct xlcfg_setting *settings;   /* in file order */
    size_t n_settings, cap_settings;
};

/* Makes CFG empty. */
void xlcfg_init(struct xlcfg *cfg);

/* Frees everything CFG holds and makes it empty again; idempotent. */
void xlcfg_dispose(struct xlcfg *cfg);

/*
 * Parses LEN bytes of DATA into CFG, which must be empty. Each error is
 * reported on ERRORS (if not NULL) as "SOURCE:LINE:COLUMN: WHAT", up to a
 * bound. Returns 0, EINVAL when DATA is not a valid file (CFG then holds
 * nothing usable and must still be disposed of), or ENOMEM.
 */
int xlcfg_parse(struct xlcfg *cfg, const char *source, const char *data,
                size_t len, FILE *errors);

/*
 * Builds the text xl create parses: the file's DATA followed by each of the
 * N_EXTRA "KEY=VALUE" arguments on a line of its own, framed by newlines
 * exactly as xl 4.17 frames them (so error line numbers agree). Returns a malloc'd buffer (not NUL-terminated
 * data of *LEN_OUT bytes, plus a NUL), or NULL on allocation failure.
 */
char *xlcfg_compose(const char *data, size_t len, char *const *extra,
                    size_t n_extra, size_t *len_out);

/* The setting that is in force for NAME (the last one), or NULL. */
const struct xlcfg_setting *xlcfg_find(const struct xlcfg *cfg,
                                       const char *name);

/*
 * The accessors return 0, ESRCH when NAME is not set, or EINVAL when the
 * value has the wrong kind. xlcfg_get_long also fails with EINVAL when the
 * text is not a whole number for strtol(.., 0) or was built with '+=', and
 * with ERANGE when it does not fit a long.
 */
int xlcfg_get_string(const struct xlcfg *cfg, const char *name,
                     const char **value_out);
int xlcfg_get_long(const struct xlcfg *cfg, const char *name,
                   long *value_out);
int xlcfg_get_list(const struct xlcfg *cfg, const char *name,
                   const struct xlcfg_value **list_out);

#endif
