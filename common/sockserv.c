/*
 * sockserv: a daemon's UNIX socket. See sockserv.h.
 */
#include "sockserv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "daemonlog.h"

/* Makes the folder PATH is in (one level, mode 0700) when it is missing;
 * failures show in the open that follows. */
static void make_folder(const char *path)
{
    char *dir = strdup(path), *slash = dir ? strrchr(dir, '/') : NULL;

    if (slash && slash != dir) {
        *slash = '\0';
        mkdir(dir, 0700);
    }
    free(dir);
}

int sockserv_lock(const char *prog, const char *socket_path)
{
    char *path = NULL;
    int fd = -1;

    if (asprintf(&path, "%s.lock", socket_path) < 0)
        return -1;
    make_folder(socket_path);
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        say("%s: cannot open %s: %s\n", prog, path, strerror(errno));
    } else if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
        if (errno == EWOULDBLOCK)
            say("%s: another %s is running on %s\n", prog, prog,
                socket_path);
        else
            say("%s: cannot lock %s: %s\n", prog, path, strerror(errno));
        close(fd);
        fd = -1;
    }
    free(path);
    return fd;
}

int sockserv_listen(const char *prog, const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    struct stat st;
    mode_t old;
    int fd, r;

    if (strlen(path) >= sizeof(sa.sun_path)) {
        say("%s: the socket path %s is too long\n", prog, path);
        return -1;
    }
    memcpy(sa.sun_path, path, strlen(path) + 1);
    if (lstat(path, &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) {
            say("%s: %s exists and is not a socket; remove it or choose "
                "another path with --socket\n", prog, path);
            return -1;
        }
        if (unlink(path) < 0) {
            say("%s: cannot remove the stale socket %s: %s\n", prog, path,
                strerror(errno));
            return -1;
        }
        say("%s: removed the stale socket %s\n", prog, path);
    }
    fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        say("%s: cannot make a socket: %s\n", prog, strerror(errno));
        return -1;
    }
    old = umask(0177);
    r = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
    umask(old);
    if (r < 0 || chmod(path, 0600) < 0 || listen(fd, 128) < 0) {
        say("%s: cannot listen on %s: %s\n", prog, path, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

int sockserv_accept(const char *prog, int listen_fd, uid_t *uid, pid_t *pid)
{
    for (;;) {
        struct ucred cred;
        socklen_t len = sizeof(cred);
        int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

        if (fd < 0) {
            if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
                say("%s: accept: %s\n", prog, strerror(errno));
            return -1;
        }
        if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 ||
            len != sizeof(cred)) {
            say("%s: refused a client whose credentials cannot be read: %s\n",
                prog, strerror(errno));
            close(fd);
            continue;
        }
        *uid = cred.uid;
        *pid = cred.pid;
        return fd;
    }
}
