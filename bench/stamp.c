/* The restarted service of the restart-latency benchmark: as the first thing in main, read
 * CLOCK_MONOTONIC and append "<ns> <pid>\n" to argv[1] with one write(2) (O_APPEND: lines from
 * successive runs never interleave), then sleep until killed. Built static by run.sh so that
 * exec does not pay for the dynamic loader; a shell script here would add about a millisecond. */
#include <fcntl.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char** argv) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    if (argc < 2) return 2;
    char line[64];
    const int n = snprintf(line, sizeof line, "%lld %d\n",
                           (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec, (int)getpid());
    const int fd = open(argv[1], O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0 || write(fd, line, (size_t)n) != n) return 1;
    close(fd);
    for (;;) pause();
}
