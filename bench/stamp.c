/* The restarted service of the restart-latency benchmark: as the first thing in main, read
 * CLOCK_MONOTONIC and append "<ns> <pid>\n" to the file named by $STAMP_FILE, or else by
 * argv[1], with one write(2) (O_APPEND: lines from successive runs never interleave), then
 * sleep until killed. Built static so that exec does not pay for the dynamic loader; a shell
 * script here would add about a millisecond.
 *
 * With $STAMP_FILE it can be a runit or s6 `run` file itself (a symlink to this binary), so
 * that no shell stands between those supervisors and the service. If $STAMP_NOTIFY_FD names a
 * descriptor, it writes "\n" there after the stamp: s6's readiness notification
 * (notification-fd). compare.py uses all of this; run.sh passes argv[1]. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char** argv) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    const char* path = getenv("STAMP_FILE");   /* first: s6 passes the service's name as argv[1] */
    if (path == NULL || *path == '\0') path = argc > 1 ? argv[1] : NULL;
    if (path == NULL || *path == '\0') return 2;
    char line[64];
    const int n = snprintf(line, sizeof line, "%lld %d\n",
                           (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec, (int)getpid());
    const int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0 || write(fd, line, (size_t)n) != n) return 1;
    close(fd);
    const char* notify = getenv("STAMP_NOTIFY_FD");
    if (notify != NULL && *notify != '\0') {
        const int nfd = atoi(notify);
        if (write(nfd, "\n", 1) == 1) close(nfd);
    }
    for (;;) pause();
}
