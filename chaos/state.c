/*
 * state: chaos's record of its domains. See state.h.
 *
 * A record is a sequence of "KEY LEN:VALUE\n" fields (LEN in decimal), so
 * that any name or configuration text round-trips, whatever bytes it has.
 */
#include "state.h"

#include "fdio.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_RECORD (1024 * 1024)

static int mkdir_one(const char *path)
{
    if (mkdir(path, 0700) == 0 || errno == EEXIST)
        return 0;
    return errno;
}

/* mkdir -p PATH (mode 0700 for what it creates). 0 or errno. */
static int mkdir_all(const char *path)
{
    char *p = strdup(path), *s;
    int rc = 0;

    if (!p)
        return ENOMEM;
    for (s = p + 1; *s && !rc; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        rc = mkdir_one(p);
        *s = '/';
    }
    if (!rc)
        rc = mkdir_one(p);
    free(p);
    return rc;
}

/* Opens DIR/lock, making DIR, DIR/domains and DIR/names first when the
 * lock is missing (DIR may exist already: noxsd's socket lives there), so
 * that an existing state folder costs one system call. */
static int open_lock(const char *dir, int *fd_out)
{
    char *lock = NULL, *domains = NULL, *names = NULL;
    int fd, rc = 0;

    if (asprintf(&lock, "%s/lock", dir) < 0)
        return ENOMEM;
    fd = open(lock, O_RDWR | O_CLOEXEC);
    if (fd >= 0 || errno != ENOENT) {
        rc = fd < 0 ? errno : 0;
        goto out;
    }
    if (asprintf(&domains, "%s/domains", dir) < 0) {
        domains = NULL;
        rc = ENOMEM;
        goto out;
    }
    if (asprintf(&names, "%s/names", dir) < 0) {
        names = NULL;
        rc = ENOMEM;
        goto out;
    }
    rc = mkdir_all(domains);
    if (!rc)
        rc = mkdir_one(names);
    if (!rc) {
        fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        rc = fd < 0 ? errno : 0;
    }
out:
    *fd_out = fd;
    free(names);
    free(domains);
    free(lock);
    return rc;
}

int state_open(struct state *st, const char *dir)
{
    int rc;

    st->lock_fd = -1;
    st->lock_depth = 0;
    if (!dir)
        dir = getenv("CHAOS_STATE_DIR");
    if (!dir || !*dir)
        dir = STATE_DEFAULT_DIR;
    st->dir = strdup(dir);
    if (!st->dir)
        return ENOMEM;
    rc = open_lock(st->dir, &st->lock_fd);
    if (rc) {
        free(st->dir);
        st->dir = NULL;
    }
    return rc;
}

void state_close(struct state *st)
{
    if (st->lock_fd >= 0) {
        close(st->lock_fd);
        st->lock_fd = -1;
    }
    st->lock_depth = 0;
    free(st->dir);
    st->dir = NULL;
}

int state_lock(struct state *st)
{
    if (st->lock_depth > 0) {
        st->lock_depth++;
        return 0;
    }
    while (flock(st->lock_fd, LOCK_EX) < 0)
        if (errno != EINTR)
            return errno;
    st->lock_depth = 1;
    return 0;
}

void state_unlock(struct state *st)
{
    if (st->lock_depth > 0 && --st->lock_depth == 0)
        flock(st->lock_fd, LOCK_UN);
}

/* A record being formatted: with P NULL, only its length is counted, so
 * that one pass sizes the buffer and a second fills it (no stdio: a
 * create writes one, and formatting is on its path). */
struct record_buf {
    char *p;
    size_t len;
};

static void put_bytes(struct record_buf *b, const void *bytes, size_t n)
{
    if (b->p)
        memcpy(b->p + b->len, bytes, n);
    b->len += n;
}

/* V in decimal at the end of the 20 bytes at BUF; returns its start. */
static char *decimal(uint64_t v, char buf[20])
{
    char *p = buf + 20;

    do
        *--p = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    return p;
}

static void put_field(struct record_buf *b, const char *key,
                      const void *value, size_t len)
{
    char num[20], *digits = decimal(len, num);

    put_bytes(b, key, strlen(key));
    put_bytes(b, " ", 1);
    put_bytes(b, digits, (size_t)(num + 20 - digits));
    put_bytes(b, ":", 1);
    put_bytes(b, value, len);
    put_bytes(b, "\n", 1);
}

static void put_u64(struct record_buf *b, const char *key, uint64_t v)
{
    char num[20], *digits = decimal(v, num);

    put_field(b, key, digits, (size_t)(num + 20 - digits));
}

/* Formats D's record into B (see record_buf). */
static void format_record(struct record_buf *b, const struct state_domain *d)
{
    put_u64(b, "domid", d->domid);
    put_field(b, "name", d->name, strlen(d->name));
    put_field(b, "uuid", d->uuid, sizeof(d->uuid));
    put_u64(b, "console_mfn", d->console_mfn);
    put_u64(b, "console_port", d->console_port);
    put_u64(b, "store_mfn", d->store_mfn);
    put_u64(b, "store_port", d->store_port);
    put_field(b, "config", d->config ? d->config : "", d->config_len);
    if (d->kernel_path)
        put_field(b, "kernel", d->kernel_path, strlen(d->kernel_path));
    if (d->ramdisk_path)
        put_field(b, "ramdisk", d->ramdisk_path, strlen(d->ramdisk_path));
}

/* DIR/names/<NAME in hex>, malloc'd; NULL when out of memory. Hex keeps
 * any name (slashes, dots, empty) a valid file name. */
static char *name_path(struct state *st, const char *name)
{
    size_t n = strlen(name), dl = strlen(st->dir);
    char *p = malloc(dl + sizeof("/names/_") + 2 * n);

    if (!p)
        return NULL;
    memcpy(p, st->dir, dl);
    memcpy(p + dl, "/names/_", 8);
    for (size_t i = 0; i < n; i++)
        snprintf(p + dl + 8 + 2 * i, 3, "%02x", (unsigned char)name[i]);
    p[dl + 8 + 2 * n] = '\0';
    return p;
}

int state_find_name(struct state *st, const char *name, uint32_t *domid)
{
    char *path = name_path(st, name), buf[16], *end;
    unsigned long v;
    ssize_t n;

    if (!path)
        return ENOMEM;
    n = readlink(path, buf, sizeof(buf) - 1);
    free(path);
    if (n < 0)
        return errno;
    buf[n] = '\0';
    errno = 0;
    v = strtoul(buf, &end, 10);
    if (errno || end == buf || *end || v > UINT32_MAX)
        return ENOENT;
    *domid = (uint32_t)v;
    return 0;
}

/* Replaces PATH with LEN bytes of DATA, written in place: a reader may
 * find it part written (see state_save). Returns 0 or an errno value. */
static int write_in_place(const char *path, const void *data, size_t len)
{
    int fd, rc;

    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return errno;
    rc = fd_write_all(fd, data, len);
    if (close(fd) < 0 && !rc)
        rc = errno;
    if (rc)
        unlink(path);
    return rc;
}

/* Records that NAME belongs to DOMID, replacing any earlier owner: a
 * symbolic link whose target is the domid (one system call, where a file
 * takes four), or when an earlier owner's link is there, one made aside
 * and renamed over it. */
static int save_name(struct state *st, const char *name, uint32_t domid)
{
    char *path = name_path(st, name), *tmp = NULL, buf[16];
    int rc = 0;

    if (!path)
        return ENOMEM;
    snprintf(buf, sizeof(buf), "%u", domid);
    if (symlink(buf, path) == 0)
        goto out;
    if (errno != EEXIST) {
        rc = errno;
        goto out;
    }
    if (asprintf(&tmp, "%s.new", path) < 0) {
        tmp = NULL;
        rc = ENOMEM;
        goto out;
    }
    if (symlink(buf, tmp) < 0 &&
        (errno != EEXIST || unlink(tmp) < 0 || symlink(buf, tmp) < 0))
        rc = errno;
    else if (rename(tmp, path) < 0) {
        rc = errno;
        unlink(tmp);
    }
out:
    free(tmp);
    free(path);
    return rc;
}

int state_save(struct state *st, const struct state_domain *d)
{
    struct record_buf b = { 0 };
    char *path = NULL;
    int rc;

    format_record(&b, d);
    b.p = malloc(b.len);
    if (!b.p)
        return ENOMEM;
    b.len = 0;
    format_record(&b, d);
    if (asprintf(&path, "%s/domains/%u", st->dir, d->domid) < 0) {
        path = NULL;
        rc = ENOMEM;
        goto out;
    }
    rc = write_in_place(path, b.p, b.len);
    if (!rc) {
        rc = save_name(st, d->name, d->domid);
        if (rc)
            unlink(path);               /* no record without its name */
    }
out:
    free(path);
    free(b.p);
    return rc;
}

/* Parses "KEY LEN:VALUE\n" at *P (before END); advances *P. */
static bool get_field(const char **p, const char *end, const char **key,
                      size_t *key_len, const char **value, size_t *len)
{
    const char *s = *p, *sp, *colon;
    char *ep;
    unsigned long long n;

    sp = memchr(s, ' ', (size_t)(end - s));
    if (!sp)
        return false;
    colon = memchr(sp, ':', (size_t)(end - sp));
    if (!colon || colon == sp + 1 || colon - sp > 8)
        return false;
    errno = 0;
    n = strtoull(sp + 1, &ep, 10);
    if (errno || ep != colon || n > (unsigned long long)(end - colon - 1) ||
        colon[1 + n] != '\n')
        return false;
    *key = s;
    *key_len = (size_t)(sp - s);
    *value = colon + 1;
    *len = (size_t)n;
    *p = colon + 2 + n;
    return true;
}

static bool get_u64(const char *v, size_t len, uint64_t *out)
{
    char buf[24], *ep;

    if (len == 0 || len >= sizeof(buf))
        return false;
    memcpy(buf, v, len);
    buf[len] = '\0';
    errno = 0;
    *out = strtoull(buf, &ep, 10);
    return !errno && *ep == '\0' && buf[0] != '-';
}

static bool key_is(const char *key, size_t key_len, const char *want)
{
    return strlen(want) == key_len && memcmp(key, want, key_len) == 0;
}

int state_load(struct state *st, uint32_t domid, struct state_domain *d)
{
    char *path = NULL, *data = NULL;
    const char *p, *end;
    FILE *f = NULL;
    size_t len = 0;
    uint64_t v;
    unsigned int seen = 0;
    int rc;

    memset(d, 0, sizeof(*d));
    if (asprintf(&path, "%s/domains/%u", st->dir, domid) < 0) {
        path = NULL;
        rc = ENOMEM;
        goto out;
    }
    f = fopen(path, "re");
    if (!f) {
        rc = errno;
        goto out;
    }
    data = malloc(MAX_RECORD);
    if (!data) {
        rc = ENOMEM;
        goto out;
    }
    len = fread(data, 1, MAX_RECORD, f);
    if (ferror(f) || len == MAX_RECORD) {
        rc = ferror(f) ? EIO : EINVAL;
        goto out;
    }
    rc = EINVAL;
    for (p = data, end = data + len; p < end;) {
        const char *key, *val;
        size_t key_len, vlen;

        if (!get_field(&p, end, &key, &key_len, &val, &vlen))
            goto out;
        if (key_is(key, key_len, "name")) {
            if (memchr(val, '\0', vlen) || !(d->name = strndup(val, vlen)))
                goto out;
            seen |= 1;
        } else if (key_is(key, key_len, "uuid")) {
            if (vlen != sizeof(d->uuid))
                goto out;
            memcpy(d->uuid, val, vlen);
            seen |= 2;
        } else if (key_is(key, key_len, "kernel") ||
                   key_is(key, key_len, "ramdisk")) {
            char **to = key_is(key, key_len, "kernel") ? &d->kernel_path
                                                       : &d->ramdisk_path;

            if (*to || memchr(val, '\0', vlen) || !(*to = strndup(val, vlen)))
                goto out;
        } else if (key_is(key, key_len, "config")) {
            if (!(d->config = malloc(vlen + 1)))
                goto out;
            memcpy(d->config, val, vlen);
            d->config[vlen] = '\0';
            d->config_len = vlen;
        } else if (get_u64(val, vlen, &v)) {
            if (key_is(key, key_len, "domid") && v == domid)
                seen |= 4;
            else if (key_is(key, key_len, "console_mfn"))
                d->console_mfn = v;
            else if (key_is(key, key_len, "store_mfn"))
                d->store_mfn = v;
            else if (key_is(key, key_len, "console_port") && v <= UINT32_MAX)
                d->console_port = (uint32_t)v;
            else if (key_is(key, key_len, "store_port") && v <= UINT32_MAX)
                d->store_port = (uint32_t)v;
        }
    }
    if (seen != 7)
        goto out;
    d->domid = domid;
    rc = 0;
out:
    if (rc)
        state_domain_free(d);
    if (f)
        fclose(f);
    free(data);
    free(path);
    return rc;
}

int state_remove(struct state *st, uint32_t domid)
{
    struct state_domain rec;
    char *path = NULL;
    uint32_t owner;
    int rc = 0;

    if (state_load(st, domid, &rec) == 0) {
        /* The name is dropped only if it still points at this domain. */
        if (state_find_name(st, rec.name, &owner) == 0 && owner == domid) {
            char *np = name_path(st, rec.name);

            if (np && unlink(np) < 0 && errno != ENOENT)
                rc = errno;
            free(np);
        }
        state_domain_free(&rec);
    }
    if (asprintf(&path, "%s/domains/%u", st->dir, domid) < 0)
        return ENOMEM;
    if (unlink(path) < 0 && errno != ENOENT)
        rc = errno;
    free(path);
    return rc;
}

int state_cmp_domid(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return x < y ? -1 : x > y;
}

int state_list(struct state *st, uint32_t **domids_out, size_t *n_out)
{
    char *path = NULL;
    DIR *dir = NULL;
    struct dirent *de;
    uint32_t *ids = NULL;
    size_t n = 0, cap = 0;
    int rc;

    if (asprintf(&path, "%s/domains", st->dir) < 0) {
        path = NULL;
        rc = ENOMEM;
        goto out;
    }
    dir = opendir(path);
    if (!dir) {
        rc = errno;
        goto out;
    }
    while ((de = readdir(dir))) {
        char *ep;
        unsigned long id;

        if (de->d_name[0] < '0' || de->d_name[0] > '9')
            continue;
        errno = 0;
        id = strtoul(de->d_name, &ep, 10);
        if (errno || *ep || id > UINT32_MAX)
            continue;
        if (n == cap) {
            uint32_t *more;

            cap = cap ? 2 * cap : 64;
            more = realloc(ids, cap * sizeof(*ids));
            if (!more) {
                rc = ENOMEM;
                goto out;
            }
            ids = more;
        }
        ids[n++] = (uint32_t)id;
    }
    qsort(ids, n, sizeof(*ids), state_cmp_domid);
    *domids_out = ids;
    *n_out = n;
    ids = NULL;
    rc = 0;
out:
    free(ids);
    if (dir)
        closedir(dir);
    free(path);
    return rc;
}

void state_domain_free(struct state_domain *d)
{
    free(d->name);
    free(d->config);
    free(d->kernel_path);
    free(d->ramdisk_path);
    memset(d, 0, sizeof(*d));
}
