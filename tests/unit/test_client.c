/*
 * client: the socket path comes from the environment and is never cut
 * short; a path too long for a UNIX socket is refused, not connected to
 * in part; an exchange may receive its reply over its own request.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../chaos/client.h"
#include "unit.h"

static void clear_env(void)
{
    unsetenv("CHAOSD_SOCKET");
    unsetenv("CHAOS_STATE_DIR");
}

START_TEST(test_path_from_environment)
{
    char buf[64];

    clear_env();
    ck_assert_uint_eq(client_socket_path(buf, sizeof(buf)),
                      strlen("/run/chaos/chaosd.sock"));
    ck_assert_str_eq(buf, "/run/chaos/chaosd.sock");
    setenv("CHAOS_STATE_DIR", "", 1);           /* empty: the default */
    client_socket_path(buf, sizeof(buf));
    ck_assert_str_eq(buf, "/run/chaos/chaosd.sock");
    setenv("CHAOS_STATE_DIR", "/tmp/st", 1);
    client_socket_path(buf, sizeof(buf));
    ck_assert_str_eq(buf, "/tmp/st/chaosd.sock");
    setenv("CHAOSD_SOCKET", "/s/d.sock", 1);    /* wins over the folder */
    ck_assert_uint_eq(client_socket_path(buf, sizeof(buf)), 9);
    ck_assert_str_eq(buf, "/s/d.sock");
    clear_env();
}
END_TEST

START_TEST(test_path_that_does_not_fit)
{
    char buf[20];

    clear_env();
    memset(buf, 'x', sizeof(buf));
    setenv("CHAOS_STATE_DIR", "/tmp/st", 1);    /* 19 bytes: fits */
    ck_assert_uint_eq(client_socket_path(buf, sizeof(buf)), 19);
    ck_assert_str_eq(buf, "/tmp/st/chaosd.sock");
    memset(buf, 'x', sizeof(buf));
    setenv("CHAOS_STATE_DIR", "/tmp/st2", 1);   /* 20 bytes: does not */
    ck_assert_uint_eq(client_socket_path(buf, sizeof(buf)), 20);
    ck_assert_int_eq(buf[0], 'x');              /* nothing written */
    clear_env();
}
END_TEST

START_TEST(test_connect_refuses_a_long_path)
{
    char dir[200], err_text[512] = "";
    FILE *err = fmemopen(err_text, sizeof(err_text) - 1, "w");
    int fd = -1;

    clear_env();
    ck_assert_ptr_nonnull(err);
    memset(dir, 'd', sizeof(dir) - 1);
    dir[0] = '/';
    dir[sizeof(dir) - 1] = '\0';
    setenv("CHAOS_STATE_DIR", dir, 1);
    ck_assert_int_eq(client_connect(&fd, err), -1);
    fclose(err);
    ck_assert_int_eq(fd, -1);
    ck_assert_ptr_nonnull(strstr(err_text, "socket path is too long"));
    clear_env();
}
END_TEST

START_TEST(test_connect_with_no_daemon)
{
    char dir[] = "/tmp/chaos-client-XXXXXX";
    int fd = -1;

    clear_env();
    ck_assert_ptr_nonnull(mkdtemp(dir));
    setenv("CHAOS_STATE_DIR", dir, 1);
    ck_assert_int_eq(client_connect(&fd, stderr), 0);
    ck_assert_int_eq(fd, -1);
    rmdir(dir);
    clear_env();
}
END_TEST

/* The daemon's side of one exchange on FD: reads the request, checks it
 * is a pool request, and answers it; with LAST, first waits for the
 * caller to say that no request follows it. */
static void answer_one(int fd, bool last)
{
    unsigned char in[CHAOSD_MSG_MAX], out[256];
    struct chaosd_msg m;
    const char *why;
    ssize_t n = recv(fd, in, sizeof(in), 0);
    size_t len;

    ck_assert_int_gt(n, 0);
    ck_assert_int_eq(chaosd_decode(in, (size_t)n, 0, &m, &why), 0);
    ck_assert_uint_eq(m.hdr.type, CHAOSD_POOL);
    if (last)
        ck_assert_int_eq(recv(fd, out, sizeof(out), 0), 0);
    len = chaosd_encode_reply(out, sizeof(out), m.hdr.seq, 0, 9, "", 0,
                              "table\n", 6);
    ck_assert_int_eq(send(fd, out, len, 0), (ssize_t)len);
}

/* A request and its reply with client_call's LAST as _i says (0, 1). With
 * LAST the answering side reads the end of the requests before it
 * replies: a client_call that did not say so would leave both waiting
 * until the test times out. */
START_TEST(test_reply_over_the_request)
{
    static unsigned char buf[CHAOSD_MSG_MAX];
    struct chaosd_msg reply;
    bool last = _i == 1;
    int sv[2], status;
    size_t len;
    pid_t pid;

    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(sv[0]);
        answer_one(sv[1], last);
        _exit(0);
    }
    len = chaosd_encode_pool(buf, sizeof(buf), 5);
    ck_assert_int_eq(client_call(sv[0], buf, len, NULL, 0, last, buf, &reply,
                                 stderr), 0);
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_int_eq(status, 0);
    ck_assert_uint_eq(reply.hdr.seq, 5);
    ck_assert_uint_eq(reply.u.reply.domid, 9);
    ck_assert_uint_eq(reply.u.reply.out_len, 6);
    ck_assert(memcmp(reply.u.reply.out, "table\n", 6) == 0);
    close(sv[0]);
    close(sv[1]);
}
END_TEST

Suite *client_suite(void)
{
    Suite *s = suite_create("client");
    TCase *tc = tcase_create("client");

    tcase_add_test(tc, test_path_from_environment);
    tcase_add_test(tc, test_path_that_does_not_fit);
    tcase_add_test(tc, test_connect_refuses_a_long_path);
    tcase_add_test(tc, test_connect_with_no_daemon);
    tcase_add_loop_test(tc, test_reply_over_the_request, 0, 2);
    suite_add_tcase(s, tc);
    return s;
}
