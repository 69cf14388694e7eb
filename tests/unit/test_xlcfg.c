/*
 * chaos/xlcfg against libxlutil 4.17, the parser xl itself uses, as the
 * oracle: for every input both must agree on accept/reject, and on accept
 * on every setting's kind, text, list structure and numeric reading.
 */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxlutil.h>

#include "../../chaos/xlcfg.h"
#include "unit.h"

static FILE *devnull;

/* Compares our VALUE with the oracle's OVAL; describes a mismatch in WHY. */
static bool same_value(XLU_Config *oc, const struct xlcfg_value *v,
                       XLU_ConfigValue *ov, char *why, size_t whylen)
{
    if (v->kind == XLCFG_STRING) {
        char *os;

        if (xlu_cfg_value_type(ov) != XLU_STRING) {
            snprintf(why, whylen, "string vs oracle list");
            return false;
        }
        xlu_cfg_value_get_string(oc, ov, &os, 1);
        if (strcmp(os, v->string) != 0) {
            snprintf(why, whylen, "'%s' vs oracle '%s'", v->string, os);
            return false;
        }
        return true;
    }
    XLU_ConfigList *ol;

    if (xlu_cfg_value_type(ov) != XLU_LIST) {
        snprintf(why, whylen, "list vs oracle string");
        return false;
    }
    xlu_cfg_value_get_list(oc, ov, &ol, 1);
    for (size_t i = 0; i < v->n_items; i++) {
        XLU_ConfigValue *oi = xlu_cfg_get_listitem2(ol, (int)i);

        if (!oi) {
            snprintf(why, whylen, "oracle list shorter (%zu items)", i);
            return false;
        }
        if (!same_value(oc, v->items[i], oi, why, whylen))
            return false;
    }
    if (xlu_cfg_get_listitem2(ol, (int)v->n_items)) {
        snprintf(why, whylen, "oracle list longer than %zu", v->n_items);
        return false;
    }
    return true;
}

/*
 * Parses DATA with both parsers. Returns NULL when they agree, else a
 * static description of the first difference.
 */
static const char *differ(const char *data, size_t len)
{
    static char why[512];
    struct xlcfg cfg;
    XLU_Config *oc = xlu_cfg_init(devnull, "oracle");
    int ours, theirs;
    const char *result = NULL;

    xlcfg_init(&cfg);
    ours = xlcfg_parse(&cfg, "ours", data, len, NULL);
    theirs = xlu_cfg_readdata(oc, data, (int)len);
    if ((ours == 0) != (theirs == 0)) {
        snprintf(why, sizeof(why), "ours rc=%d, oracle rc=%d", ours, theirs);
        result = why;
        goto out;
    }
    if (ours)
        goto out;
    for (size_t i = 0; i < cfg.n_settings; i++) {
        const char *name = cfg.settings[i].name;
        const struct xlcfg_setting *s = xlcfg_find(&cfg, name);
        const struct xlcfg_value *list;
        XLU_ConfigList *olist;
        const char *str, *ostr;
        long l = 0, ol = 0;
        int rs = xlcfg_get_string(&cfg, name, &str);
        int ors = xlu_cfg_get_string(oc, name, &ostr, 1);
        int rl = xlcfg_get_long(&cfg, name, &l);
        int orl = xlu_cfg_get_long(oc, name, &ol, 1);
        int rL = xlcfg_get_list(&cfg, name, &list);
        int orL = xlu_cfg_get_list(oc, name, &olist, NULL, 1);

        if (rs != ors || rl != orl || rL != orL || (!rl && l != ol) ||
            (!rs && strcmp(str, ostr) != 0)) {
            snprintf(why, sizeof(why),
                     "%s: string %d/%d long %d/%d (%ld/%ld) list %d/%d",
                     name, rs, ors, rl, orl, l, ol, rL, orL);
            result = why;
            goto out;
        }
        if (!rL) {
            /* The oracle has no getter for a whole value; wrap its list. */
            for (size_t j = 0; j < s->value->n_items; j++) {
                XLU_ConfigValue *oi = xlu_cfg_get_listitem2(olist, (int)j);
                char sub[400];

                if (!oi || !same_value(oc, s->value->items[j], oi, sub,
                                       sizeof(sub))) {
                    snprintf(why, sizeof(why), "%s[%zu]: %s", name, j,
                             oi ? sub : "missing in oracle");
                    result = why;
                    goto out;
                }
            }
            if (xlu_cfg_get_listitem2(olist, (int)s->value->n_items)) {
                snprintf(why, sizeof(why), "%s: oracle list longer", name);
                result = why;
                goto out;
            }
        }
    }
out:
    xlcfg_dispose(&cfg);
    xlu_cfg_destroy(oc);
    return result;
}

static void agree(const char *data)
{
    const char *why = differ(data, strlen(data));

    ck_assert_msg(why == NULL, "input <<%s>>: %s", data, why);
}

static const char *const cases[] = {
    "", "\n", ";", ";;\n;", "# only a comment\n", "# no newline",
    "a = 1", "a = 1\n", "a=1;b=2", "a = 1 b = 2", "a = 1;;b = 2\n",
    "name = \"noop\"\nmemory = 8\nvcpus = 1\n",
    "a = 'single'", "a = \"double\"", "a = ''", "a = \"\"",
    "a = 'it''s'", "a = '\"'", "a = \"'\"",
    "a = \"tab\\there\"", "a = \"\\a\\b\\f\\n\\r\\t\\v\\\\\\\"\\'\"",
    "a = \"\\q\"", "a = \"\\x41\"", "a = \"\\x\"", "a = \"\\0\"",
    "a = \"\\101\"", "a = \"\\1234\"", "a = \"\\1 1\"", "a = \"\\18\"",
    "a = \"\\12\"", "a = \"\\777x\"", "a = \"\\7-1\"", "a = \"x\\",
    "a = \"unterminated\nb = 2\n", "a = 'no\\\nsplit'",
    "a = 0x10", "a = 010", "a = 0", "a = 1e3", "a = 12abc", "a = 0x",
    "a = 99999999999999999999", "a = \"12\"", "a = \" 12\"",
    "a = \"-3\"", "a = -1", "a = +1", "a = 1.5", "a = (1)",
    "a = [1, \"2\", [3]]", "a = []", "a = [ ]", "a = [,]", "a = [1,]",
    "a = [1 2]", "a = [\n1,\n2,\n]\n", "a = [\n\n]", "a = [[1,2],[]]",
    "a = [1,,2]", "a = [1\n,2]", "a = [", "a = [1", "a = ]",
    "a = \n1", "a =", "= 1", "a", "a b", "1 = 2", "9a = 1", "_a = 1",
    "Name = 1", "a.b = 1", "a_b9.c = 1", "a = foo", "a = 1 # comment",
    "a = 1 # comment\n", "a = 1\r\n", "a = 1\n\0b = 2\n", "a\t=\t1",
    "a = \"x\"\na += \"y\"\n", "a += \"new\"\n", "a += 1\n",
    "b = [1]\nb += [2, 3]\n", "b = [1]\nb += \"4\"\n",
    "d = \"s\"\nd += [\"l\"]\n", "a = 1\na = 2\n", "a = [1]\na = 2\n",
    "a + = 1", "a +=1", "a=+1", "a ++= 1", "a = é", "a = \"é\"",
    "a=1\n\n\nbad bad\nc=3\nd d", "kernel = \"/boot/vmlinuz\"\n"
    "extra = \"console=hvc0\"\non_crash = 'preserve'\n",
    "vif = [ 'mac=00:16:3e:00:00:01,bridge=xenbr0', 'bridge=xenbr1' ]\n",
};

START_TEST(test_cases_agree_with_libxlutil)
{
    agree(cases[_i]);
}
END_TEST

START_TEST(test_nul_byte_agrees)
{
    static const char data[] = "a = 1\n\0b = 2\n";
    const char *why = differ(data, sizeof(data) - 1);

    ck_assert_msg(why == NULL, "%s", why);
}
END_TEST

/* Deterministic generator of inputs from config-like fragments. */
static uint64_t rng_state;
static unsigned rnd(unsigned n)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)(rng_state >> 33) % n;
}

START_TEST(test_generated_inputs_agree_with_libxlutil)
{
    static const char *const frags[] = {
        "a", "b", "name", "x.y", "=", "+=", " ", "\t", "\n", ";", ",", "[",
        "]", "1", "0x1f", "07", "9z", "\"s\"", "'t'", "\"\\n\"", "\"\\1x\"",
        "\"\\123\"", "#c\n", "#", "\"", "'", "+", "-", "Q", "_", "\\",
        "\"a b\"", "[]", "[1,2]", "\r",
    };
    char buf[256];

    rng_state = 42;
    for (int round = 0; round < 5000; round++) {
        size_t len = 0;
        unsigned n = 1 + rnd(12);

        buf[0] = '\0';
        for (unsigned i = 0; i < n; i++) {
            const char *f = frags[rnd(sizeof(frags) / sizeof(frags[0]))];
            size_t fl = strlen(f);

            if (len + fl >= sizeof(buf))
                break;
            memcpy(buf + len, f, fl + 1);
            len += fl;
        }
        agree(buf);
    }
}
END_TEST

START_TEST(test_compose_frames_arguments_as_xl)
{
    char *extra[] = { "name=\"x\"", "memory=16" };
    size_t len;
    char *s = xlcfg_compose("a = 1", 5, extra, 2, &len);

    ck_assert_ptr_nonnull(s);
    ck_assert_str_eq(s, "a = 1\nname=\"x\"\nmemory=16\n\n");
    ck_assert_uint_eq(len, strlen(s));
    free(s);
    s = xlcfg_compose("a = 1", 5, NULL, 0, &len);
    ck_assert_str_eq(s, "a = 1");
    ck_assert_uint_eq(len, 5);
    free(s);
}
END_TEST

START_TEST(test_compose_lets_an_argument_override)
{
    char *extra[] = { "memory=32" };
    size_t len;
    char *s = xlcfg_compose("memory = 8 # no newline", 23, extra, 1, &len);
    struct xlcfg cfg;
    long mem = 0;

    xlcfg_init(&cfg);
    ck_assert_int_eq(xlcfg_parse(&cfg, "t", s, len, NULL), 0);
    ck_assert_int_eq(xlcfg_get_long(&cfg, "memory", &mem), 0);
    ck_assert_int_eq(mem, 32);
    xlcfg_dispose(&cfg);
    free(s);
}
END_TEST

START_TEST(test_error_names_file_line_and_column)
{
    char *out = NULL;
    size_t outlen = 0;
    FILE *f = open_memstream(&out, &outlen);
    struct xlcfg cfg;

    xlcfg_init(&cfg);
    ck_assert_int_eq(xlcfg_parse(&cfg, "guest.cfg", "a = 1\nb = foo\n", 14,
                                 f), EINVAL);
    fclose(f);
    ck_assert_msg(strstr(out, "guest.cfg:2:5: config parsing error near "
                              "`foo'") != NULL, "got: %s", out);
    free(out);
    xlcfg_dispose(&cfg);
}
END_TEST

START_TEST(test_accessors)
{
    static const char data[] = "s = \"str\"\nn = 0x20\nl = [\"a\", [\"b\"]]\n"
                               "p = \"1\"\np += \"2\"\n";
    struct xlcfg cfg;
    const char *s;
    const struct xlcfg_value *l;
    long n;

    xlcfg_init(&cfg);
    ck_assert_int_eq(xlcfg_parse(&cfg, "t", data, sizeof(data) - 1, NULL), 0);
    ck_assert_int_eq(xlcfg_get_string(&cfg, "s", &s), 0);
    ck_assert_str_eq(s, "str");
    ck_assert_int_eq(xlcfg_get_long(&cfg, "s", &n), EINVAL);
    ck_assert_int_eq(xlcfg_get_long(&cfg, "n", &n), 0);
    ck_assert_int_eq(n, 32);
    ck_assert_int_eq(xlcfg_get_list(&cfg, "l", &l), 0);
    ck_assert_uint_eq(l->n_items, 2);
    ck_assert_str_eq(l->items[0]->string, "a");
    ck_assert_int_eq(l->items[1]->kind, XLCFG_LIST);
    ck_assert_int_eq(xlcfg_get_string(&cfg, "l", &s), EINVAL);
    ck_assert_int_eq(xlcfg_get_string(&cfg, "missing", &s), ESRCH);
    ck_assert_int_eq(xlcfg_get_string(&cfg, "p", &s), 0);
    ck_assert_str_eq(s, "12");
    ck_assert_int_eq(xlcfg_get_long(&cfg, "p", &n), EINVAL);
    xlcfg_dispose(&cfg);
    xlcfg_dispose(&cfg);
}
END_TEST

Suite *xlcfg_suite(void)
{
    Suite *s = suite_create("xlcfg");
    TCase *tc = tcase_create("oracle");

    devnull = fopen("/dev/null", "w");
    tcase_add_loop_test(tc, test_cases_agree_with_libxlutil, 0,
                        (int)(sizeof(cases) / sizeof(cases[0])));
    tcase_add_test(tc, test_nul_byte_agrees);
    tcase_add_test(tc, test_generated_inputs_agree_with_libxlutil);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    tc = tcase_create("api");
    tcase_add_test(tc, test_compose_frames_arguments_as_xl);
    tcase_add_test(tc, test_compose_lets_an_argument_override);
    tcase_add_test(tc, test_error_names_file_line_and_column);
    tcase_add_test(tc, test_accessors);
    suite_add_tcase(s, tc);
    return s;
}
