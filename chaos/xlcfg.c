/*
 * xlcfg: the xl domain configuration file format. See xlcfg.h.
 *
 * A hand-written lexer and recursive-descent parser. Where libxlutil's
 * behaviour is surprising, the comment says so: those are the places a
 * "cleaner" rewrite would silently stop being compatible.
 */
#include "xlcfg.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_REPORTED_ERRORS 10

enum token_kind {
    TOK_EOF, TOK_IDENT, TOK_NUMBER, TOK_STRING, TOK_NEWLINE,
    TOK_COMMA, TOK_LBRACKET, TOK_RBRACKET, TOK_ASSIGN, TOK_APPEND, TOK_SEMI,
};

struct token {
    enum token_kind kind;
    const char *start;      /* raw text in the input */
    size_t len;
    int line, column;
    char *text;             /* IDENT, NUMBER, STRING: owned, NUL-terminated */
};

struct parser {
    const char *p, *end;
    int line;
    const char *line_start;
    const char *source;
    FILE *errors;
    int n_errors;
    int err;                /* first error: EINVAL or ENOMEM */
    struct token tok;       /* lookahead, valid when have_tok */
    bool have_tok;
    struct xlcfg *cfg;
};

static void report(struct parser *ps, int line, int column, const char *near,
                   size_t near_len, const char *fmt, ...)
{
    va_list ap;

    if (!ps->err)
        ps->err = EINVAL;
    if (!ps->errors || ps->n_errors++ >= MAX_REPORTED_ERRORS)
        return;
    fprintf(ps->errors, "%s:%d:%d: config parsing error near ", ps->source,
            line, column);
    if (near_len == 0)
        fputs("end of file", ps->errors);
    else if (near_len == 1 && near[0] == '\n')
        fputs("<newline>", ps->errors);
    else
        fprintf(ps->errors, "`%.*s'", (int)(near_len > 40 ? 40 : near_len),
                near);
    fputs(": ", ps->errors);
    va_start(ap, fmt);
    vfprintf(ps->errors, fmt, ap);
    va_end(ap);
    fputc('\n', ps->errors);
}

static void nomem(struct parser *ps)
{
    if (ps->err != ENOMEM && ps->errors)
        fprintf(ps->errors, "%s: out of memory while parsing\n", ps->source);
    ps->err = ENOMEM;
}

static char *dup_range(struct parser *ps, const char *s, size_t len)
{
    char *d = malloc(len + 1);

    if (!d) {
        nomem(ps);
        return NULL;
    }
    memcpy(d, s, len);
    d[len] = '\0';
    return d;
}

static bool is_ident_start(char c) { return c >= 'a' && c <= 'z'; }
static bool is_ident_char(char c)
{
    return is_ident_start(c) || (c >= '0' && c <= '9') || c == '_' || c == '.';
}
static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_number_char(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || c == 'x';
}

/*
 * Decodes the quoted string RAW (quotes included) as libxlutil does, into
 * a new string. Its escapes: \" \' \\ \a \b \f \n \r \t \v. Two quirks are
 * kept on purpose: \x is always rejected (libxlutil demands more than the
 * two digits it reads), and a backslash followed by an octal digit skips
 * the next up to three characters when strtoul(.., 10) reads two or more
 * of them (leading blanks and a sign included), emitting nothing.
 */
static char *dequote(struct parser *ps, const struct token *t)
{
    const char *p = t->start + 1, *end = t->start + t->len - 1;
    char *out = malloc(t->len), *q = out;

    if (!out) {
        nomem(ps);
        return NULL;
    }
    while (p < end) {
        char c = *p++, nc;

        if (c != '\\') {
            *q++ = c;
            continue;
        }
        nc = *p++;          /* the lexer guarantees a character here */
        switch (nc) {
        case '"': case '\'': case '\\': *q++ = nc; break;
        case 'a': *q++ = '\a'; break;
        case 'b': *q++ = '\b'; break;
        case 'f': *q++ = '\f'; break;
        case 'n': *q++ = '\n'; break;
        case 'r': *q++ = '\r'; break;
        case 't': *q++ = '\t'; break;
        case 'v': *q++ = '\v'; break;
        case 'x':
            report(ps, t->line, t->column, t->start, t->len,
                   "invalid \\x escape in quoted string (xl accepts none)");
            goto out;
        default:
            if (nc >= '0' && nc <= '7') {
                /* Up to 3 characters after the digit, including the
                 * closing quote: the token text continues to t->len. */
                char buf[4] = { 0 }, *ep;
                size_t avail = (size_t)(t->start + t->len - p);

                memcpy(buf, p, avail < 3 ? avail : 3);
                (void)strtoul(buf, &ep, 10);
                if (ep <= buf + 1) {
                    report(ps, t->line, t->column, t->start, t->len,
                           "invalid digit after backslash in octal escape "
                           "in quoted string");
                    goto out;
                }
                p += ep - buf;
                if (p > end)
                    p = end;
            } else {
                report(ps, t->line, t->column, t->start, t->len,
                       "invalid character after backslash in quoted string");
                goto out;
            }
        }
    }
out:
    *q = '\0';
    return out;
}

/*
 * Skips the rest of a bad token up to a blank or newline, and reports it.
 * Quirk kept: a bad character that is the very last byte of the input is
 * ignored without an error, as libxlutil's scanner hits end of input in
 * its error state and reports nothing.
 */
static void lexical_error(struct parser *ps, const char *start, int column)
{
    const char *p = start + 1;

    if (p == ps->end) {
        ps->p = p;
        return;
    }
    while (p < ps->end && *p != ' ' && *p != '\t' && *p != '\n')
        p++;
    report(ps, ps->line, column, start, (size_t)(p - start), "lexical error");
    ps->p = p;
}

/* Scans the next token into ps->tok. */
static void lex(struct parser *ps)
{
    struct token *t = &ps->tok;

    for (;;) {
        const char *s = ps->p;
        int column;

        memset(t, 0, sizeof(*t));
        if (s >= ps->end) {
            t->kind = TOK_EOF;
            t->start = s;
            t->line = ps->line;
            t->column = (int)(s - ps->line_start) + 1;
            return;
        }
        column = (int)(s - ps->line_start) + 1;
        t->start = s;
        t->line = ps->line;
        t->column = column;

        switch (*s) {
        case ' ': case '\t':
            ps->p++;
            continue;
        case '#': {
            /* A comment includes its newline; one at the very end of the
             * input without a newline is a lexical error in libxlutil. */
            const char *nl = memchr(s, '\n', (size_t)(ps->end - s));

            if (!nl) {
                lexical_error(ps, s, column);
                continue;
            }
            t->kind = TOK_NEWLINE;
            t->start = nl;
            t->len = 1;
            ps->p = nl + 1;
            ps->line++;
            ps->line_start = ps->p;
            return;
        }
        case '\n':
            t->kind = TOK_NEWLINE;
            t->len = 1;
            ps->p++;
            ps->line++;
            ps->line_start = ps->p;
            return;
        case ',': t->kind = TOK_COMMA; break;
        case '[': t->kind = TOK_LBRACKET; break;
        case ']': t->kind = TOK_RBRACKET; break;
        case '=': t->kind = TOK_ASSIGN; break;
        case ';': t->kind = TOK_SEMI; break;
        case '+':
            if (s + 1 < ps->end && s[1] == '=') {
                t->kind = TOK_APPEND;
                t->len = 2;
                ps->p += 2;
                return;
            }
            lexical_error(ps, s, column);
            continue;
        case '"': case '\'': {
            const char *p = s + 1;

            while (p < ps->end && *p != *s && *p != '\n') {
                if (*p == '\\') {
                    if (p + 1 >= ps->end || p[1] == '\n')
                        break;
                    p++;
                }
                p++;
            }
            if (p >= ps->end || *p != *s) {
                lexical_error(ps, s, column);
                continue;
            }
            t->kind = TOK_STRING;
            t->len = (size_t)(p + 1 - s);
            ps->p = p + 1;
            t->text = dequote(ps, t);
            return;
        }
        default:
            if (is_ident_start(*s) || is_digit(*s)) {
                bool ident = is_ident_start(*s);
                const char *p = s + 1;

                while (p < ps->end && (ident ? is_ident_char(*p)
                                             : is_number_char(*p)))
                    p++;
                t->kind = ident ? TOK_IDENT : TOK_NUMBER;
                t->len = (size_t)(p - s);
                ps->p = p;
                t->text = dup_range(ps, s, t->len);
                return;
            }
            lexical_error(ps, s, column);
            continue;
        }
        t->len = 1;
        ps->p++;
        return;
    }
}

static struct token *peek(struct parser *ps)
{
    if (!ps->have_tok) {
        lex(ps);
        ps->have_tok = true;
    }
    return &ps->tok;
}

/* Consumes the lookahead; returns its owned text, if any, to the caller. */
static char *take(struct parser *ps)
{
    char *text = ps->tok.text;

    ps->tok.text = NULL;
    ps->have_tok = false;
    return text;
}

static void drop(struct parser *ps)
{
    free(take(ps));
}

static void skip_newlines(struct parser *ps)
{
    while (peek(ps)->kind == TOK_NEWLINE)
        drop(ps);
}

static const char *describe(enum token_kind k)
{
    switch (k) {
    case TOK_EOF: return "end of file";
    case TOK_IDENT: return "a name";
    case TOK_NUMBER: return "a number";
    case TOK_STRING: return "a string";
    case TOK_NEWLINE: return "a newline";
    case TOK_COMMA: return "','";
    case TOK_LBRACKET: return "'['";
    case TOK_RBRACKET: return "']'";
    case TOK_ASSIGN: return "'='";
    case TOK_APPEND: return "'+='";
    case TOK_SEMI: return "';'";
    }
    return "?";
}

static void syntax_error(struct parser *ps, const char *expected)
{
    struct token *t = peek(ps);

    report(ps, t->line, t->column, t->start, t->len,
           "syntax error, unexpected %s, expecting %s", describe(t->kind),
           expected);
}

static void value_free(struct xlcfg_value *v)
{
    if (!v)
        return;
    free(v->string);
    for (size_t i = 0; i < v->n_items; i++)
        value_free(v->items[i]);
    free(v->items);
    free(v);
}

static struct xlcfg_value *value_new(struct parser *ps, enum xlcfg_kind kind,
                                     const struct token *at)
{
    struct xlcfg_value *v = calloc(1, sizeof(*v));

    if (!v) {
        nomem(ps);
        return NULL;
    }
    v->kind = kind;
    v->line = at->line;
    v->column = at->column;
    return v;
}

static bool list_append(struct parser *ps, struct xlcfg_value *list,
                        struct xlcfg_value *item)
{
    struct xlcfg_value **items;

    if (list->n_items == SIZE_MAX / sizeof(*items) - 1)
        goto fail;
    items = realloc(list->items, (list->n_items + 1) * sizeof(*items));
    if (!items)
        goto fail;
    list->items = items;
    list->items[list->n_items++] = item;
    return true;
fail:
    nomem(ps);
    value_free(item);
    return false;
}

/* value := STRING | NUMBER | '[' list ']'; NULL after reporting an error. */
static struct xlcfg_value *parse_value(struct parser *ps, int depth)
{
    struct token *t = peek(ps);
    struct xlcfg_value *v;

    if (t->kind == TOK_STRING || t->kind == TOK_NUMBER) {
        v = value_new(ps, XLCFG_STRING, t);
        if (!v)
            return NULL;
        v->string = take(ps);
        if (!v->string) {       /* dequote or strdup failed, reported */
            value_free(v);
            return NULL;
        }
        return v;
    }
    if (t->kind != TOK_LBRACKET) {
        syntax_error(ps, "a string, a number or '['");
        return NULL;
    }
    if (depth > 64) {
        report(ps, t->line, t->column, t->start, t->len,
               "lists nested too deeply");
        return NULL;
    }
    v = value_new(ps, XLCFG_LIST, t);
    if (!v)
        return NULL;
    drop(ps);
    skip_newlines(ps);
    if (peek(ps)->kind == TOK_RBRACKET) {
        drop(ps);
        return v;
    }
    for (;;) {
        struct xlcfg_value *item = parse_value(ps, depth + 1);

        if (!item || !list_append(ps, v, item))
            goto fail;
        skip_newlines(ps);
        t = peek(ps);
        if (t->kind == TOK_RBRACKET) {
            drop(ps);
            return v;
        }
        if (t->kind != TOK_COMMA) {
            syntax_error(ps, "',' or ']'");
            goto fail;
        }
        drop(ps);
        skip_newlines(ps);
        if (peek(ps)->kind == TOK_RBRACKET) {
            drop(ps);
            return v;
        }
    }
fail:
    value_free(v);
    return NULL;
}

/*
 * Joins PREV and V into V as libxlutil's '+=' does: strings concatenate;
 * lists take PREV's items in front of V's, moving them, so PREV (no longer
 * in force) is left an empty list, as in libxlutil.
 */
static bool concat(struct parser *ps, struct xlcfg_value *prev,
                   struct xlcfg_value *v)
{
    if (prev->kind != v->kind) {
        report(ps, v->line, v->column, "+=", 2,
               "can't add [list] to \"string\" or vice versa");
        return false;
    }
    if (v->kind == XLCFG_STRING) {
        size_t a = strlen(prev->string), b = strlen(v->string);
        char *s = malloc(a + b + 1);

        if (!s) {
            nomem(ps);
            return false;
        }
        memcpy(s, prev->string, a);
        memcpy(s + a, v->string, b + 1);
        free(v->string);
        v->string = s;
        return true;
    }
    size_t n = prev->n_items + v->n_items;
    struct xlcfg_value **items = malloc((n ? n : 1) * sizeof(*items));

    if (!items) {
        nomem(ps);
        return false;
    }
    memcpy(items, prev->items, prev->n_items * sizeof(*items));
    memcpy(items + prev->n_items, v->items, v->n_items * sizeof(*items));
    free(v->items);
    v->items = items;
    v->n_items = n;
    free(prev->items);
    prev->items = NULL;
    prev->n_items = 0;
    return true;
}

static struct xlcfg_setting *find(const struct xlcfg *cfg, const char *name)
{
    for (size_t i = cfg->n_settings; i-- > 0;)
        if (strcmp(cfg->settings[i].name, name) == 0)
            return &cfg->settings[i];
    return NULL;
}

/*
 * Records NAME = V (taking both). Like libxlutil, stores nothing once any
 * error has been seen: the parse fails as a whole.
 */
static void store(struct parser *ps, char *name, struct xlcfg_value *v,
                  bool append, int line)
{
    struct xlcfg *cfg = ps->cfg;
    struct xlcfg_setting *prev;

    if (ps->err)
        goto discard;
    if (append && (prev = find(cfg, name)) && !concat(ps, prev->value, v))
        goto discard;
    if (cfg->n_settings == cfg->cap_settings) {
        size_t cap = cfg->cap_settings ? 2 * cfg->cap_settings : 16;
        struct xlcfg_setting *s = realloc(cfg->settings, cap * sizeof(*s));

        if (!s) {
            nomem(ps);
            goto discard;
        }
        cfg->settings = s;
        cfg->cap_settings = cap;
    }
    cfg->settings[cfg->n_settings++] = (struct xlcfg_setting){
        .name = name, .value = v, .appended = append, .line = line,
    };
    return;
discard:
    free(name);
    value_free(v);
}

/* assignment := IDENT ('=' | '+=') value. False after reporting an error. */
static bool parse_assignment(struct parser *ps)
{
    int line = peek(ps)->line;
    char *name = take(ps);
    struct xlcfg_value *v;
    bool append;

    if (!name)
        return false;
    switch (peek(ps)->kind) {
    case TOK_ASSIGN: append = false; break;
    case TOK_APPEND: append = true; break;
    default:
        syntax_error(ps, "'=' or '+='");
        free(name);
        return false;
    }
    drop(ps);
    v = parse_value(ps, 0);
    if (!v) {
        free(name);
        return false;
    }
    store(ps, name, v, append, line);
    return true;
}

/* After a syntax error: skip up to and including the next newline. */
static void recover(struct parser *ps)
{
    for (;;) {
        enum token_kind k = peek(ps)->kind;

        if (k == TOK_EOF)
            return;
        drop(ps);
        if (k == TOK_NEWLINE)
            return;
    }
}

void xlcfg_init(struct xlcfg *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
}

void xlcfg_dispose(struct xlcfg *cfg)
{
    for (size_t i = 0; i < cfg->n_settings; i++) {
        free(cfg->settings[i].name);
        value_free(cfg->settings[i].value);
    }
    free(cfg->settings);
    xlcfg_init(cfg);
}

int xlcfg_parse(struct xlcfg *cfg, const char *source, const char *data,
                size_t len, FILE *errors)
{
    struct parser ps = {
        .p = data, .end = data + len, .line = 1, .line_start = data,
        .source = source, .errors = errors, .cfg = cfg,
    };

    for (;;) {
        struct token *t = peek(&ps);

        if (ps.err == ENOMEM)
            break;
        if (t->kind == TOK_EOF)
            break;
        if (t->kind == TOK_NEWLINE || t->kind == TOK_SEMI) {
            drop(&ps);
            continue;
        }
        if (t->kind != TOK_IDENT) {
            syntax_error(&ps, "a name, a newline or ';'");
            recover(&ps);
            continue;
        }
        if (!parse_assignment(&ps)) {
            recover(&ps);
            continue;
        }
        t = peek(&ps);
        if (t->kind == TOK_NEWLINE || t->kind == TOK_SEMI) {
            drop(&ps);
        } else if (t->kind != TOK_EOF) {
            syntax_error(&ps, "a newline or ';'");
            recover(&ps);
        }
    }
    if (ps.have_tok)
        drop(&ps);
    return ps.err;
}

char *xlcfg_compose(const char *data, size_t len, char *const *extra,
                    size_t n_extra, size_t *len_out)
{
    size_t total = len + 1, at = len;
    char *buf;

    /* xl 4.17 joins the arguments as "K=V\n" each and appends
     * "\n%s\n" of that to the file: the first lands on the file's line
     * count + 2. */
    if (n_extra > 0) {
        total += 2;
        for (size_t i = 0; i < n_extra; i++)
            total += strlen(extra[i]) + 1;
    }
    buf = malloc(total);
    if (!buf)
        return NULL;
    memcpy(buf, data, len);
    if (n_extra > 0) {
        buf[at++] = '\n';
        for (size_t i = 0; i < n_extra; i++) {
            size_t n = strlen(extra[i]);

            memcpy(buf + at, extra[i], n);
            at += n;
            buf[at++] = '\n';
        }
        buf[at++] = '\n';
    }
    buf[at] = '\0';
    *len_out = at;
    return buf;
}

const struct xlcfg_setting *xlcfg_find(const struct xlcfg *cfg,
                                       const char *name)
{
    return find(cfg, name);
}

int xlcfg_get_string(const struct xlcfg *cfg, const char *name,
                     const char **value_out)
{
    const struct xlcfg_setting *s = find(cfg, name);

    if (!s)
        return ESRCH;
    if (s->value->kind != XLCFG_STRING)
        return EINVAL;
    *value_out = s->value->string;
    return 0;
}

int xlcfg_get_long(const struct xlcfg *cfg, const char *name,
                   long *value_out)
{
    const char *text;
    char *ep;
    long v;
    int rc = xlcfg_get_string(cfg, name, &text);

    if (rc)
        return rc;
    if (find(cfg, name)->appended)
        return EINVAL;
    errno = 0;
    v = strtol(text, &ep, 0);
    if (errno)
        return errno;
    if (*ep || ep == text)
        return EINVAL;
    *value_out = v;
    return 0;
}

int xlcfg_get_list(const struct xlcfg *cfg, const char *name,
                   const struct xlcfg_value **list_out)
{
    const struct xlcfg_setting *s = find(cfg, name);

    if (!s)
        return ESRCH;
    if (s->value->kind != XLCFG_LIST)
        return EINVAL;
    *list_out = s->value;
    return 0;
}
