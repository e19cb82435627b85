// vjbench: the measuring half of bench/run.sh (run.sh writes the configs and starts/stops daemons).
// Single file, no project headers, built by run.sh with g++ -O2. Every subcommand prints one line of
// figures on stdout in a fixed "key=value" form that run.sh formats; diagnostics go to stderr.
//
//   restart  STAMPFILE N GAP_MS            SIGKILL the stamp service N times under supervisord
//   floor    STAMPBIN STAMPFILE N GAP_MS MODE   the same with this process as the (minimal)
//                                          supervisor; MODE fork (fork+execve) or vfork (posix_spawn)
//   spawnfloor N MODE                      N `sleep 100000` started one after the other, each
//                                          waited until exec'd (fork + CLOEXEC pipe, as supervisord;
//                                          or vfork = posix_spawn); then all killed
//   runs     N -- ARGV...                  wall time of N fork/exec/wait of ARGV (stdout, stderr -> /dev/null)
//   rtt      SOCKET N                      status request round trip over the raw socket
//   massstart SUPERVISORD VJCTL CONFIG SOCKET PIDFILE LOGFILE
//                                          launch -> socket -> `vjctl wait all` returns; then shutdown
//   pipefloor SPEW MIB FILE                `SPEW MIB | cat > FILE`: wall time, cat's CPU time
//   logcapture SUPERVISORD CONFIG LOGDIR NAME MIB PIDFILE LOGFILE
//                                          launch -> LOGDIR/NAME.log* hold MIB MiB (polled every 5 ms);
//                                          supervisord's CPU time then; the files checked; shutdown
//
// Times are CLOCK_MONOTONIC throughout; the stamp program reads the same clock, so a latency is
// (the new process's first instruction in main) - (the instant right before kill(2)).
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <signal.h>
#include <dirent.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace {

long long now_ns() {
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<long long>(ts.tv_sec) * 1000000000LL + ts.tv_nsec;
}

void sleep_ms(double ms) {
    timespec ts{static_cast<time_t>(ms / 1000), static_cast<long>(std::fmod(ms, 1000.0) * 1e6)};
    while (::nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

pid_t g_child = -1;  // the floor's stamp process, killed on the way out whatever happens

[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "vjbench: %s\n", what.c_str());
    if (g_child > 0) ::kill(g_child, SIGKILL), ::waitpid(g_child, nullptr, 0);
    std::exit(1);
}

/// Nearest-rank percentile of sorted samples (q in (0,1]); the median averages the middle pair.
double percentile(const std::vector<double>& s, double q) {
    const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(s.size())));
    return s[std::clamp<std::size_t>(rank, 1, s.size()) - 1];
}
double median(const std::vector<double>& s) {
    const std::size_t n = s.size();
    return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/// Milliseconds with microsecond resolution: "median=… p90=… p99=… min=… max=… n=…".
void print_stats(std::vector<double> ms, int failures) {
    if (ms.empty()) {
        std::printf("n=0 failures=%d\n", failures);
        return;
    }
    std::sort(ms.begin(), ms.end());
    std::printf("median=%.3f p90=%.3f p99=%.3f min=%.3f max=%.3f n=%zu failures=%d\n", median(ms),
                percentile(ms, 0.90), percentile(ms, 0.99), ms.front(), ms.back(), ms.size(), failures);
}

struct Stamp {
    long long ns;
    pid_t pid;
};

std::vector<Stamp> read_stamps(const std::string& path) {
    std::vector<Stamp> out;
    std::ifstream in(path);
    long long ns;
    long pid;
    while (in >> ns >> pid) out.push_back({ns, static_cast<pid_t>(pid)});
    return out;
}

/// Polls the stamp file until it has more than `count` lines; 200 µs steps (the stamp itself
/// carries the time, so the polling period does not enter the figure).
std::optional<Stamp> wait_for_stamp(const std::string& path, std::size_t count, double timeout_ms) {
    const long long end = now_ns() + static_cast<long long>(timeout_ms * 1e6);
    while (now_ns() < end) {
        auto s = read_stamps(path);
        if (s.size() > count) return s[count];
        sleep_ms(0.2);
    }
    return std::nullopt;
}

int cmd_restart(const std::string& file, int n, double gap_ms) {
    auto first = wait_for_stamp(file, 0, 10000);
    if (!first) die("the stamp service never started (no line in " + file + ")");
    std::vector<double> lat;
    int failures = 0;
    for (int i = 0; i < n; ++i) {
        const auto stamps = read_stamps(file);
        const Stamp last = stamps.back();
        const long long t0 = now_ns();
        if (::kill(last.pid, SIGKILL) != 0) die("kill " + std::to_string(last.pid) + ": " + std::strerror(errno));
        auto next = wait_for_stamp(file, stamps.size(), 5000);
        if (!next || next->pid == last.pid) {
            ++failures;
            std::fprintf(stderr, "vjbench: run %d: no new process within 5 s\n", i);
            if (failures > 3) break;
            continue;
        }
        lat.push_back(static_cast<double>(next->ns - t0) / 1e6);
        sleep_ms(gap_ms);
    }
    print_stats(lat, failures);
    return failures ? 1 : 0;
}

extern "C" char** environ;
bool g_vfork = false;  // floor mode: posix_spawn (CLONE_VM|CLONE_VFORK) instead of fork

pid_t spawn_stamp(const std::string& bin, const std::string& file) {
    if (g_vfork) {
        pid_t pid = -1;
        char* argv[] = {const_cast<char*>(bin.c_str()), const_cast<char*>(file.c_str()), nullptr};
        if (const int err = ::posix_spawn(&pid, argv[0], nullptr, nullptr, argv, environ); err != 0)
            die(std::string("posix_spawn: ") + std::strerror(err));
        g_child = pid;
        return pid;
    }
    const pid_t pid = ::fork();
    if (pid < 0) die(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
        char* argv[] = {const_cast<char*>(bin.c_str()), const_cast<char*>(file.c_str()), nullptr};
        ::execv(argv[0], argv);
        ::_exit(127);
    }
    g_child = pid;
    return pid;
}

int cmd_floor(const std::string& bin, const std::string& file, int n, double gap_ms) {
    pid_t child = spawn_stamp(bin, file);
    if (!wait_for_stamp(file, 0, 10000)) die("the stamp program never started");
    std::vector<double> lat;
    int failures = 0;
    for (int i = 0; i < n; ++i) {
        const std::size_t count = read_stamps(file).size();
        const long long t0 = now_ns();
        ::kill(child, SIGKILL);
        ::waitpid(child, nullptr, 0);
        child = spawn_stamp(bin, file);
        auto next = wait_for_stamp(file, count, 5000);
        if (!next) {
            ++failures;
            continue;
        }
        lat.push_back(static_cast<double>(next->ns - t0) / 1e6);
        sleep_ms(gap_ms);
    }
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
    print_stats(lat, failures);
    return failures ? 1 : 0;
}

/// fork + execve, the parent blocked until the exec happened (a CLOEXEC pipe closes), as supervisord.
pid_t spawn_waited_fork(char** argv) {
    int p[2];
    if (::pipe2(p, O_CLOEXEC) != 0) die("pipe2");
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::setsid();
        ::execv(argv[0], argv);
        ::_exit(127);
    }
    ::close(p[1]);
    char c;
    while (::read(p[0], &c, 1) < 0 && errno == EINTR) {
    }
    ::close(p[0]);
    return pid;
}

int cmd_spawnfloor(int n, const std::string& mode) {
    char* argv[] = {const_cast<char*>("/bin/sleep"), const_cast<char*>("100000"), nullptr};
    std::vector<pid_t> pids;
    const long long t0 = now_ns();
    for (int i = 0; i < n; ++i) {
        pid_t pid = -1;
        if (mode == "vfork") {
            posix_spawnattr_t attr;
            ::posix_spawnattr_init(&attr);
            ::posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);
            const int err = ::posix_spawn(&pid, argv[0], nullptr, &attr, argv, environ);
            ::posix_spawnattr_destroy(&attr);
            if (err != 0) break;
        } else {
            pid = spawn_waited_fork(argv);
        }
        if (pid <= 0) break;
        pids.push_back(pid);
    }
    const long long t1 = now_ns();
    for (pid_t pid : pids) ::kill(pid, SIGKILL);
    for (pid_t pid : pids) ::waitpid(pid, nullptr, 0);
    if (static_cast<int>(pids.size()) != n) die("spawned only " + std::to_string(pids.size()));
    std::printf("ms=%.1f per_spawn_ms=%.3f n=%d\n", static_cast<double>(t1 - t0) / 1e6,
                static_cast<double>(t1 - t0) / 1e6 / n, n);
    return 0;
}

int cmd_runs(int n, std::vector<char*> argv) {
    argv.push_back(nullptr);
    std::vector<double> wall;
    int failures = 0;
    const int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    for (int i = 0; i < n; ++i) {
        const long long t0 = now_ns();
        const pid_t pid = ::fork();
        if (pid == 0) {
            ::dup2(null, 1);
            ::dup2(null, 2);
            ::execv(argv[0], argv.data());
            ::_exit(127);
        }
        int status = 0;
        ::waitpid(pid, &status, 0);
        const long long t1 = now_ns();
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            ++failures;
            continue;
        }
        wall.push_back(static_cast<double>(t1 - t0) / 1e6);
    }
    print_stats(wall, failures);
    return failures ? 1 : 0;
}

int connect_unix(const std::string& path) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

/// One request line out, one reply line back; returns the reply's size, or -1.
long exchange(int fd, const std::string& request) {
    if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size())) return -1;
    static char buf[1 << 16];
    long total = 0;
    for (;;) {
        const ssize_t got = ::read(fd, buf, sizeof buf);
        if (got <= 0) return -1;
        total += got;
        if (buf[got - 1] == '\n') return total;  // replies are exactly one line
    }
}

int cmd_rtt(const std::string& socket_path, int n) {
    const std::string request = "{\"id\":1,\"cmd\":\"status\",\"args\":{}}\n";
    std::vector<double> fresh, kept;
    long bytes = 0;
    int failures = 0;
    for (int i = 0; i < n; ++i) {  // a new connection per request, as vjctl does
        const long long t0 = now_ns();
        const int fd = connect_unix(socket_path);
        const long got = fd < 0 ? -1 : exchange(fd, request);
        const long long t1 = now_ns();
        if (fd >= 0) ::close(fd);
        if (got < 0) {
            ++failures;
            continue;
        }
        bytes = got;
        fresh.push_back(static_cast<double>(t1 - t0) / 1e6);
    }
    const int fd = connect_unix(socket_path);
    for (int i = 0; fd >= 0 && i < n; ++i) {  // one connection, requests back to back
        const long long t0 = now_ns();
        if (exchange(fd, request) < 0) {
            ++failures;
            break;
        }
        kept.push_back(static_cast<double>(now_ns() - t0) / 1e6);
    }
    if (fd >= 0) ::close(fd);
    std::sort(fresh.begin(), fresh.end());
    std::sort(kept.begin(), kept.end());
    if (fresh.empty() || kept.empty()) die("no status reply from " + socket_path);
    std::printf("connect_median=%.3f connect_p90=%.3f connect_min=%.3f keepalive_median=%.3f reply_bytes=%ld "
                "n=%d failures=%d\n",
                median(fresh), percentile(fresh, 0.9), fresh.front(), median(kept), bytes, n, failures);
    return failures ? 1 : 0;
}

bool reap(pid_t pid, double timeout_ms) {
    const long long end = now_ns() + static_cast<long long>(timeout_ms * 1e6);
    do {
        if (::waitpid(pid, nullptr, WNOHANG) == pid) return true;
        sleep_ms(1);
    } while (now_ns() < end);
    return false;
}

/// supervisord's children (the services), from /proc; used only when it failed to stop them.
std::vector<pid_t> children_of(pid_t pid) {
    std::vector<pid_t> out;
    std::ifstream in("/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) + "/children");
    long c;
    while (in >> c) out.push_back(static_cast<pid_t>(c));
    return out;
}

int cmd_massstart(const std::string& supervisord, const std::string& vjctl, const std::string& config,
                  const std::string& socket_path, const std::string& pidfile, const std::string& logfile) {
    const long long t0 = now_ns();
    const pid_t daemon = ::fork();
    if (daemon == 0) {
        const int fd = ::open(logfile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        ::dup2(fd, 1);
        ::dup2(fd, 2);
        ::execl(supervisord.c_str(), supervisord.c_str(), "-c", config.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    std::ofstream(pidfile) << daemon << '\n';  // for run.sh's trap, should this process die first
    struct stat st{};
    while (::stat(socket_path.c_str(), &st) != 0) {
        if (::waitpid(daemon, nullptr, WNOHANG) == daemon) die("supervisord exited before listening; see " + logfile);
        if (now_ns() - t0 > 30000000000LL) die("no socket after 30 s");
        sleep_ms(0.1);
    }
    const long long t_socket = now_ns();
    const pid_t waiter = ::fork();
    if (waiter == 0) {
        const int null = ::open("/dev/null", O_WRONLY);
        ::dup2(null, 1);
        ::execl(vjctl.c_str(), vjctl.c_str(), "--socket", socket_path.c_str(), "wait", "--timeout", "60s", "all",
                static_cast<char*>(nullptr));
        ::_exit(127);
    }
    int status = 0;
    ::waitpid(waiter, &status, 0);
    const long long t_ready = now_ns();
    const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;

    // Shutdown: SIGTERM, everything stopped and supervisord gone (shutdown_timeout is 10 s).
    const long long t_term = now_ns();
    ::kill(daemon, SIGTERM);
    bool clean = reap(daemon, 20000);
    const long long t_gone = now_ns();
    if (!clean) {
        for (pid_t c : children_of(daemon)) ::kill(-c, SIGKILL), ::kill(c, SIGKILL);
        ::kill(daemon, SIGKILL);
        ::waitpid(daemon, nullptr, 0);
    }
    std::printf("socket_ms=%.1f ready_ms=%.1f wait_ok=%d shutdown_ms=%.1f shutdown_clean=%d\n",
                static_cast<double>(t_socket - t0) / 1e6, static_cast<double>(t_ready - t0) / 1e6, ok ? 1 : 0,
                static_cast<double>(t_gone - t_term) / 1e6, clean ? 1 : 0);
    return ok && clean ? 0 : 1;
}


double seconds(long long ns) { return static_cast<double>(ns) / 1e9; }
double cpu_of(const rusage& ru) {
    return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

int cmd_pipefloor(const std::string& spew, const std::string& mib, const std::string& file) {
    int fds[2];
    if (::pipe(fds) != 0) die("pipe failed");
    const long long t0 = now_ns();
    const pid_t writer = ::fork();
    if (writer == 0) {
        ::dup2(fds[1], 1);
        ::close(fds[0]), ::close(fds[1]);
        ::execl(spew.c_str(), spew.c_str(), mib.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    const pid_t reader = ::fork();
    if (reader == 0) {
        const int out = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        ::dup2(fds[0], 0);
        ::dup2(out, 1);
        ::close(fds[0]), ::close(fds[1]), ::close(out);
        ::execlp("cat", "cat", static_cast<char*>(nullptr));
        ::_exit(127);
    }
    ::close(fds[0]), ::close(fds[1]);
    int ws = 0, rs = 0;
    rusage wru{}, rru{};
    ::wait4(writer, &ws, 0, &wru);
    ::wait4(reader, &rs, 0, &rru);
    const long long t1 = now_ns();
    struct stat st{};
    const long long bytes = ::stat(file.c_str(), &st) == 0 ? static_cast<long long>(st.st_size) : -1;
    const bool ok = WIFEXITED(ws) && WEXITSTATUS(ws) == 0 && WIFEXITED(rs) && WEXITSTATUS(rs) == 0 &&
                    bytes == std::stoll(mib) << 20;
    std::printf("wall_s=%.3f cpu_s=%.3f writer_cpu_s=%.3f bytes=%lld ok=%d\n", seconds(t1 - t0), cpu_of(rru),
                cpu_of(wru), bytes, ok ? 1 : 0);
    return ok ? 0 : 1;
}

struct LogFiles {
    long long total = 0, largest = 0;
    int count = 0;
};

/// NAME.log and NAME.log.<digits> in DIR. Not atomic against a rotation's renames: a file can be
/// counted twice (or missed) by one scan, which is why the caller confirms with a second scan.
LogFiles scan_logs(const std::string& dir, const std::string& name) {
    LogFiles r;
    DIR* d = ::opendir(dir.c_str());
    if (!d) return r;
    const std::string base = name + ".log";
    while (const dirent* e = ::readdir(d)) {
        const std::string n = e->d_name;
        if (n.compare(0, base.size(), base) != 0) continue;
        const std::string rest = n.substr(base.size());
        if (!rest.empty() && (rest[0] != '.' || rest.size() < 2 ||
                              rest.find_first_not_of("0123456789", 1) != std::string::npos))
            continue;
        struct stat st{};
        if (::fstatat(::dirfd(d), e->d_name, &st, 0) != 0) continue;
        r.total += st.st_size;
        r.largest = std::max<long long>(r.largest, st.st_size);
        ++r.count;
    }
    ::closedir(d);
    return r;
}

/// utime + stime of PID in seconds (clock ticks: 10 ms resolution), and sum_exec_runtime (ns).
std::pair<double, double> cpu_seconds(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::istringstream f(s.substr(s.rfind(')') + 2));  // field 3 onwards
    std::vector<std::string> v;
    for (std::string w; f >> w;) v.push_back(w);
    const double ticks = v.size() > 12 ? std::stod(v[11]) + std::stod(v[12]) : -1;  // fields 14, 15
    std::ifstream sched("/proc/" + std::to_string(pid) + "/schedstat");
    double ns = -1;
    sched >> ns;
    return {ticks / static_cast<double>(::sysconf(_SC_CLK_TCK)), ns / 1e9};
}

int cmd_logcapture(const std::string& supervisord, const std::string& config, const std::string& logdir,
                   const std::string& name, long long mib, const std::string& pidfile, const std::string& logfile) {
    const long long target = mib << 20;
    const long long t0 = now_ns();
    const pid_t daemon = ::fork();
    if (daemon == 0) {
        const int fd = ::open(logfile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        ::dup2(fd, 1);
        ::dup2(fd, 2);
        ::execl(supervisord.c_str(), supervisord.c_str(), "-c", config.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    std::ofstream(pidfile) << daemon << '\n';  // for run.sh's trap, should this process die first
    long long t1 = 0;
    LogFiles files;
    std::pair<double, double> cpu{-1, -1};
    while (true) {
        if (::waitpid(daemon, nullptr, WNOHANG) == daemon) die("supervisord exited during the capture; see " + logfile);
        const long long t = now_ns();
        if (t - t0 > 20000000000LL) break;  // 20 s: timed out, reported with what was there
        if (scan_logs(logdir, name).total >= target) {
            cpu = cpu_seconds(daemon);
            files = scan_logs(logdir, name);  // confirm (a scan racing a rotation can count a file twice)
            if (files.total >= target) {
                t1 = t;
                break;
            }
        }
        sleep_ms(5);
    }
    if (t1 == 0) files = scan_logs(logdir, name), cpu = cpu_seconds(daemon);
    const long long t_term = now_ns();
    ::kill(daemon, SIGTERM);
    const bool clean = reap(daemon, 20000);
    const long long t_gone = now_ns();
    if (!clean) {
        for (pid_t c : children_of(daemon)) ::kill(-c, SIGKILL), ::kill(c, SIGKILL);
        ::kill(daemon, SIGKILL);
        ::waitpid(daemon, nullptr, 0);
    }
    const bool ok = t1 != 0 && files.total == target;
    std::printf("wall_s=%.3f cpu_s=%.3f sched_cpu_s=%.3f bytes=%lld files=%d largest=%lld shutdown_ms=%.1f "
                "reached=%d ok=%d\n",
                seconds((t1 ? t1 : t_term) - t0), cpu.first, cpu.second, files.total, files.count, files.largest,
                static_cast<double>(t_gone - t_term) / 1e6, t1 != 0 ? 1 : 0, ok ? 1 : 0);
    return clean ? 0 : 1;  // run.sh judges the byte count and prints it either way
}

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> a(argv, argv + argc);
    auto usage = [] { die("usage: see the comment at the top of bench/vjbench.cpp"); };
    if (a.size() < 2) usage();
    const std::string& cmd = a[1];
    if (cmd == "restart" && a.size() == 5) return cmd_restart(a[2], std::stoi(a[3]), std::stod(a[4]));
    if (cmd == "floor" && a.size() == 7 && (a[6] == "fork" || a[6] == "vfork")) {
        g_vfork = a[6] == "vfork";
        return cmd_floor(a[2], a[3], std::stoi(a[4]), std::stod(a[5]));
    }
    if (cmd == "spawnfloor" && a.size() == 4 && (a[3] == "fork" || a[3] == "vfork"))
        return cmd_spawnfloor(std::stoi(a[2]), a[3]);
    if (cmd == "runs" && a.size() >= 5 && a[3] == "--")
        return cmd_runs(std::stoi(a[2]), std::vector<char*>(argv + 4, argv + argc));
    if (cmd == "rtt" && a.size() == 4) return cmd_rtt(a[2], std::stoi(a[3]));
    if (cmd == "massstart" && a.size() == 8) return cmd_massstart(a[2], a[3], a[4], a[5], a[6], a[7]);
    if (cmd == "pipefloor" && a.size() == 5) return cmd_pipefloor(a[2], a[3], a[4]);
    if (cmd == "logcapture" && a.size() == 9)
        return cmd_logcapture(a[2], a[3], a[4], a[5], std::stoll(a[6]), a[7], a[8]);
    usage();
}
