/*
 * test_imgcache.c: chaosd's kernel cache (chaos/imgcache.c): a file is
 * found again only while its device, inode, size and times are the same;
 * files changed in the last seconds, too large or not regular are not
 * kept; the least recently used slot goes first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../chaos/imgcache.h"
#include "unit.h"

static const struct timespec now = { .tv_sec = 1000000, .tv_nsec = 5 };

/* A settled regular file of LEN bytes, inode INO. */
static struct stat file(ino_t ino, off_t len)
{
    struct stat st;

    memset(&st, 0, sizeof(st));
    st.st_mode = S_IFREG | 0644;
    st.st_dev = 8;
    st.st_ino = ino;
    st.st_size = len;
    st.st_mtim = (struct timespec){ .tv_sec = now.tv_sec - 60, .tv_nsec = 7 };
    st.st_ctim = st.st_mtim;
    return st;
}

/* Puts the bytes "kernel INO" of LEN bytes for ST; whether taken. */
static bool put(struct imgcache *c, const struct stat *st)
{
    char *data = calloc(1, (size_t)st->st_size), *path = strdup("/k");
    bool taken;

    ck_assert(data && path);
    snprintf(data, (size_t)st->st_size, "kernel %lu",
             (unsigned long)st->st_ino);
    taken = imgcache_put(c, st, data, (size_t)st->st_size, path, &now);
    if (!taken) {
        free(data);
        free(path);
    }
    return taken;
}

static bool found(struct imgcache *c, const struct stat *st)
{
    const void *data;
    const char *path;
    size_t len;

    return imgcache_find(c, st, &data, &len, &path);
}

START_TEST(test_found_with_its_bytes)
{
    struct imgcache c = { 0 };
    struct stat st = file(1, 64);
    const void *data;
    const char *path;
    size_t len;

    ck_assert(!found(&c, &st));
    ck_assert(put(&c, &st));
    ck_assert(imgcache_find(&c, &st, &data, &len, &path));
    ck_assert_uint_eq(len, 64);
    ck_assert_str_eq(data, "kernel 1");
    ck_assert_str_eq(path, "/k");
    imgcache_clear(&c);
    ck_assert(!found(&c, &st));
}
END_TEST

START_TEST(test_any_change_misses)
{
    struct imgcache c = { 0 };
    struct stat st = file(1, 64), other;

    ck_assert(put(&c, &st));
    other = st;
    other.st_ino = 2;
    ck_assert(!found(&c, &other));
    other = st;
    other.st_dev = 9;
    ck_assert(!found(&c, &other));
    other = st;
    other.st_size = 65;
    ck_assert(!found(&c, &other));
    other = st;
    other.st_mtim.tv_nsec++;
    ck_assert(!found(&c, &other));
    other = st;
    other.st_ctim.tv_sec++;
    ck_assert(!found(&c, &other));
    ck_assert(found(&c, &st));
    imgcache_clear(&c);
}
END_TEST

START_TEST(test_refuses_unsettled_large_and_odd_files)
{
    struct imgcache c = { 0 };
    struct stat st = file(1, 64);

    st.st_ctim.tv_sec = now.tv_sec - IMGCACHE_SETTLED_S + 1;
    ck_assert(!put(&c, &st));
    st = file(1, 64);
    st.st_mtim.tv_sec = now.tv_sec + 3600;      /* touched into the future */
    ck_assert(!put(&c, &st));
    st = file(1, 64);
    st.st_mode = S_IFCHR | 0644;
    ck_assert(!put(&c, &st));
    st = file(1, (off_t)IMGCACHE_MAX_FILE + 1);
    ck_assert(!put(&c, &st));
    st = file(1, 64);
    ck_assert(!imgcache_put(&c, &st, NULL, 63, NULL, &now));    /* size */
    st.st_ctim.tv_sec = now.tv_sec - IMGCACHE_SETTLED_S;
    ck_assert(put(&c, &st));
    imgcache_clear(&c);
}
END_TEST

START_TEST(test_least_recently_used_goes_first)
{
    struct imgcache c = { 0 };
    struct stat st[IMGCACHE_SLOTS + 2];

    for (size_t i = 0; i < IMGCACHE_SLOTS + 2; i++)
        st[i] = file((ino_t)(i + 1), 32);
    for (size_t i = 0; i < IMGCACHE_SLOTS; i++)
        ck_assert(put(&c, &st[i]));
    ck_assert(found(&c, &st[0]));               /* 1 is now the oldest */
    ck_assert(put(&c, &st[IMGCACHE_SLOTS]));
    ck_assert(found(&c, &st[0]));
    ck_assert(!found(&c, &st[1]));
    ck_assert(put(&c, &st[IMGCACHE_SLOTS + 1]));
    ck_assert(!found(&c, &st[2]));
    for (size_t i = 3; i < IMGCACHE_SLOTS + 2; i++)
        ck_assert(found(&c, &st[i]));
    ck_assert(put(&c, &st[5]));                 /* again: replaces itself */
    ck_assert(found(&c, &st[0]) && found(&c, &st[3]));
    imgcache_clear(&c);
}
END_TEST

Suite *imgcache_suite(void)
{
    Suite *s = suite_create("imgcache");
    TCase *tc = tcase_create("cache");

    tcase_add_test(tc, test_found_with_its_bytes);
    tcase_add_test(tc, test_any_change_misses);
    tcase_add_test(tc, test_refuses_unsettled_large_and_odd_files);
    tcase_add_test(tc, test_least_recently_used_goes_first);
    suite_add_tcase(s, tc);
    return s;
}
