/* The service of the log-throughput benchmark: writes argv[1] MiB (512 if absent) to stdout in
 * 1 MiB blocks of 64-byte lines (63 characters + '\n'), then exits 0; with argv[2] "hold" it
 * closes stdout and sleeps until killed instead (so that runit, s6 and PM2, which always restart
 * an exited service, do not write the stream twice). The block is built once in
 * memory, so the writer costs one write(2) per MiB and the reading side sets the pace. Built
 * static by run.sh, like stamp.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { BLOCK = 1 << 20, LINE = 64 };

static char block[BLOCK];

int main(int argc, char** argv) {
    const long mib = argc > 1 ? strtol(argv[1], NULL, 10) : 512;
    if (mib < 0) return 2;
    for (int i = 0; i < BLOCK / LINE; ++i) {
        char* l = block + (size_t)i * LINE;
        const int n = snprintf(l, LINE, "%06d ", i);  /* line number within the block */
        for (int k = n; k < LINE - 1; ++k) l[k] = (char)('a' + (i + k) % 26);
        l[LINE - 1] = '\n';
    }
    for (long b = 0; b < mib; ++b) {
        const char* p = block;
        size_t left = BLOCK;
        while (left > 0) {
            const ssize_t w = write(1, p, left);
            if (w < 0) {
                if (errno == EINTR) continue;
                perror("spew: write");
                return 1;
            }
            p += w;
            left -= (size_t)w;
        }
    }
    if (argc > 2 && strcmp(argv[2], "hold") == 0) {
        close(1);
        for (;;) pause();
    }
    return 0;
}
