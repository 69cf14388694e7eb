/*
 * client: the chaos command line's side of the chaosd protocol. See
 * client.h.
 */
#include "client.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "state.h"

/* Writes A then B into BUF (SIZE bytes) when both fit with their NUL;
 * returns their length. */
static size_t join(char *buf, size_t size, const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);

    if (la + lb < size) {
        memcpy(buf, a, la);
        memcpy(buf + la, b, lb + 1);
    }
    return la + lb;
}

size_t client_socket_path(char *buf, size_t size)
{
    const char *env = getenv("CHAOSD_SOCKET"), *dir;

    if (env && *env)
        return join(buf, size, env, "");
    dir = getenv("CHAOS_STATE_DIR");
    return join(buf, size, dir && *dir ? dir : STATE_DEFAULT_DIR,
                "/chaosd.sock");
}

int client_connect(int *fd_out, FILE *err)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    const char *path = sa.sun_path;
    int fd;

    if (client_socket_path(sa.sun_path, sizeof(sa.sun_path)) >=
        sizeof(sa.sun_path)) {
        fprintf(err, "chaos: the chaosd socket path is too long (%zu bytes "
                "at most): set CHAOSD_SOCKET or CHAOS_STATE_DIR to a shorter "
                "one\n", sizeof(sa.sun_path) - 1);
        return -1;
    }
    fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        fprintf(err, "chaos: cannot make a socket: %s\n", strerror(errno));
        return -1;
    }
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
        *fd_out = fd;
        return 1;
    }
    if (errno == ENOENT || errno == ECONNREFUSED || errno == ENOTDIR) {
        close(fd);
        return 0;
    }
    fprintf(err, "chaos: cannot connect to chaosd at %s: %s\n", path,
            strerror(errno));
    if (errno == EACCES)
        fprintf(err, "chaos: chaosd serves root only; run chaos as root\n");
    close(fd);
    return -1;
}

int client_call(int fd, const void *msg, size_t len, const int *fds,
                size_t n_fds, bool last, void *buf, struct chaosd_msg *reply,
                FILE *err)
{
    union {
        struct cmsghdr h;
        char space[CMSG_SPACE(2 * sizeof(int))];
    } control;
    struct iovec iov = { .iov_base = (void *)msg, .iov_len = len };
    struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
    const char *why;
    ssize_t n;

    if (n_fds > 2) {
        fprintf(err, "chaos: at most two files go to chaosd\n");
        return -1;
    }
    if (n_fds) {
        struct cmsghdr *c;

        memset(&control, 0, sizeof(control));
        mh.msg_control = control.space;
        mh.msg_controllen = CMSG_SPACE(n_fds * sizeof(int));
        c = CMSG_FIRSTHDR(&mh);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(n_fds * sizeof(int));
        memcpy(CMSG_DATA(c), fds, n_fds * sizeof(int));
    }
    do
        n = sendmsg(fd, &mh, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EPIPE || errno == ECONNRESET)) {
        /* chaosd hung up at once, which it does after refusing a caller:
         * its answer may be waiting. */
        n = recv(fd, buf, CHAOSD_MSG_MAX, MSG_DONTWAIT);
        if (n > 0)
            goto decode;
        n = -1;
        errno = EPIPE;
    }
    if (n < 0 || (size_t)n != len) {
        fprintf(err, "chaos: cannot send the request to chaosd: %s\n",
                n < 0 ? strerror(errno) : "short write");
        return -1;
    }
    /* Its failure costs only the wakeup it would have spared chaosd. */
    if (last)
        (void)shutdown(fd, SHUT_WR);
    do
        n = recv(fd, buf, CHAOSD_MSG_MAX, 0);
    while (n < 0 && errno == EINTR);
    if (n <= 0) {
        fprintf(err, "chaos: chaosd closed the connection without a reply%s%s; "
                "see chaosd's log\n", n < 0 ? ": " : "",
                n < 0 ? strerror(errno) : "");
        return -1;
    }
decode:
    if (chaosd_decode(buf, (size_t)n, 0, reply, &why) != 0) {
        fprintf(err, "chaos: chaosd's reply is malformed: %s\n", why);
        return -1;
    }
    if (reply->hdr.type != CHAOSD_REPLY) {
        fprintf(err, "chaos: chaosd answered with a message that is not a "
                "reply\n");
        return -1;
    }
    return 0;
}

int client_finish(const struct chaosd_msg *reply, FILE *out, FILE *err)
{
    /* Tested first: a reply with no text costs no stdio. */
    if (reply->u.reply.err_len)
        fwrite(reply->u.reply.err, 1, reply->u.reply.err_len, err);
    if (reply->u.reply.out_len)
        fwrite(reply->u.reply.out, 1, reply->u.reply.out_len, out);
    return reply->u.reply.status;
}
