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

const char *client_socket_path(void)
{
    static char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
    const char *env = getenv("CHAOSD_SOCKET"), *dir;

    if (env && *env) {
        snprintf(path, sizeof(path), "%s", env);
    } else {
        dir = getenv("CHAOS_STATE_DIR");
        snprintf(path, sizeof(path), "%s/chaosd.sock",
                 dir && *dir ? dir : STATE_DEFAULT_DIR);
    }
    return path;
}

int client_connect(int *fd_out, FILE *err)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    const char *path = client_socket_path();
    int fd;

    if (strlen(path) >= sizeof(sa.sun_path)) {
        fprintf(err, "chaos: the chaosd socket path %s is too long\n", path);
        return -1;
    }
    memcpy(sa.sun_path, path, strlen(path) + 1);
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
                size_t n_fds, void *buf, struct chaosd_msg *reply, FILE *err)
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
    fwrite(reply->u.reply.err, 1, reply->u.reply.err_len, err);
    fwrite(reply->u.reply.out, 1, reply->u.reply.out_len, out);
    return reply->u.reply.status;
}
