// logs: capture through pipes, rotation by rename, a refusing disk, and tail from the ring.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>
#include <poll.h>
#include <fstream>
#include <thread>

#include "integration/harness.hpp"

namespace vj::test {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

std::uintmax_t size_of(const fs::path& p) {
    std::error_code ec;
    const auto n = fs::file_size(p, ec);
    return ec ? 0 : n;
}

/// NAME.log.K … NAME.log.1, NAME.log joined: the stream as the files hold it.
std::string joined_logs(const fs::path& log, int keep) {
    std::string all;
    for (int i = keep; i >= 1; --i) all += read_file(log.string() + "." + std::to_string(i));
    return all + read_file(log);
}

TEST(Logs, RotationKeepsTheStreamByteForByte) {
    TempDir scratch;
    const auto expected = (scratch / "expected").string();
    // 100 MiB of base64 lines, tee'd to a file the test compares with.
    const std::string writer = "\"head -c 78643200 /dev/urandom | base64 -w 100 | tee " + expected + "\"";
    Daemon d("  big:\n    command: " + writer + "\n    restart: { policy: never }\n"
             "    logs: { max_size: 8MiB, keep: 30 }\n"
             "  small:\n    command: \"head -c 5000000 /dev/zero | tr '\\\\0' x | fold -w 100; echo\"\n"
             "    restart: { policy: never }\n    logs: { max_size: 1MiB, keep: 3 }\n");
    ASSERT_TRUE(d.wait_state("big", {"exited"}, 60s)) << d.log();
    const auto want = fs::file_size(expected);
    ASSERT_GT(want, 100u << 20);
    const auto log = d.file("log/big.log");
    ASSERT_TRUE(eventually([&] { return joined_logs(log, 30).size() == want; }, 30s)) << d.log();
    EXPECT_TRUE(joined_logs(log, 30) == read_file(expected)) << "the files differ from the stream";
    for (int i = 1; i <= 30; ++i) EXPECT_LE(size_of(log.string() + "." + std::to_string(i)), 8u << 20) << i;
    EXPECT_LE(size_of(log), 8u << 20);

    // keep: 3 -> exactly three old files, and together they are the end of the stream.
    ASSERT_TRUE(d.wait_state("small", {"exited"}, 30s));
    const auto small = d.file("log/small.log");
    ASSERT_TRUE(eventually([&] { return fs::exists(small.string() + ".3"); }, 10s));
    EXPECT_FALSE(fs::exists(small.string() + ".4"));
    const std::string tail = joined_logs(small, 3);
    EXPECT_GT(tail.size(), 3u << 20);
    for (int i = 1; i <= 3; ++i) EXPECT_LE(size_of(small.string() + "." + std::to_string(i)), 1u << 20);
    EXPECT_EQ(tail.find_first_not_of("x\n"), std::string::npos);
    EXPECT_EQ(tail.substr(tail.size() - 102), "\n" + std::string(100, 'x') + "\n");  // 5000000 = 50000 lines of 100
}

TEST(Logs, RefusingDiskNeverBlocksTheChildAndAMarkerCountsTheLoss) {
    Daemon d(R"(  chatty:
    command: "i=0; while :; do i=$((i+1)); echo line $i; head -c 200000 /dev/zero | tr '\\0' y; echo; sleep 0.05; done"
    logs: { max_size: 0 }
)");
    ASSERT_TRUE(d.wait_state("chatty", {"running"}));
    const auto log = d.file("log/chatty.log");
    ASSERT_TRUE(eventually([&] { return size_of(log) > 100000; }, 10s));
    const int pid = d.status("chatty")["pid"];

    // The disk refuses: RLIMIT_FSIZE just above the file's size makes supervisord's writes fail (EFBIG).
    // Only the soft limit: raising a lowered hard limit again would need CAP_SYS_RESOURCE.
    struct rlimit tight{size_of(log) + 1000, RLIM_INFINITY};
    ASSERT_EQ(::prlimit(d.pid(), RLIMIT_FSIZE, &tight, nullptr), 0);
    const auto t0 = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(2s);  // ~8 MB are written meanwhile: 1 MiB held, the rest dropped
    // The child never blocked (its pipe is drained), and supervision answers at once.
    const auto ping_start = std::chrono::steady_clock::now();
    EXPECT_EQ(d.request("ping")["ok"], true);
    EXPECT_LT(std::chrono::steady_clock::now() - ping_start, 500ms);
    auto st = d.status("chatty");
    EXPECT_EQ(st["state"], "running");
    EXPECT_EQ(st["pid"], pid);
    (void)t0;

    struct rlimit open{RLIM_INFINITY, RLIM_INFINITY};
    ASSERT_EQ(::prlimit(d.pid(), RLIMIT_FSIZE, &open, nullptr), 0);
    ASSERT_TRUE(eventually([&] { return read_file(log).find("bytes dropped: File too large]") != std::string::npos; },
                           10s))
        << d.log();
    const auto text = read_file(log);
    const auto at = text.find("[vj-supervisor: ");
    const auto dropped = std::stoull(text.substr(at + 16));
    EXPECT_GT(dropped, 1u << 20);
    EXPECT_NE(d.log().find("writing works again; " + std::to_string(dropped) + " bytes were dropped"),
              std::string::npos);
    // Lines keep coming after the marker.
    EXPECT_TRUE(eventually([&] { return read_file(log).size() > text.size(); }, 5s));
}

TEST(Logs, TailShowsTheLastLinesMergedAcrossServices) {
    Daemon d(R"(  a:
    command: "echo a1; echo a2; echo a3; exec sleep 1000"
  b:
    command: "echo b1; echo b2; exec sleep 1000"
  err:
    command: "echo to-out; echo to-err >&2; exec sleep 1000"
    logs: { stderr: separate }
)");
    ASSERT_TRUE(d.wait_state("b", {"running"}));
    ASSERT_TRUE(eventually([&] { return d.request("tail", {{"names", {"a", "b"}}, {"lines", 10}})["result"]["lines"].size() == 5; }, 5s));
    auto one = d.request("tail", {{"names", {"a"}}, {"lines", 2}})["result"]["lines"];
    ASSERT_EQ(one.size(), 2u);
    EXPECT_EQ(one[0]["line"], "a2");
    EXPECT_EQ(one[1]["line"], "a3");
    EXPECT_EQ(one[1]["name"], "a");
    ASSERT_TRUE(eventually([&] { return d.request("tail", {{"names", {"err"}}, {"stream", "stderr"}})["result"]["lines"].size() == 1; }, 5s));
    EXPECT_EQ(d.request("tail", {{"names", {"err"}}, {"stream", "stderr"}})["result"]["lines"][0]["line"], "to-err");
    EXPECT_EQ(d.request("tail", {{"names", {"err"}}})["result"]["lines"][0]["line"], "to-out");
    EXPECT_EQ(read_file(d.file("log/err.stderr.log")), "to-err\n");
    EXPECT_EQ(read_file(d.file("log/err.log")), "to-out\n");
}

TEST(Logs, VjctlTailMergesWithNamePrefixes) {
    Daemon d(R"(  a:
    command: "echo a1; sleep 0.2; echo a2; exec sleep 1000"
  bb:
    command: "sleep 0.1; echo b1; exec sleep 1000"
)");
    ASSERT_TRUE(eventually([&] { return d.vjctl({"tail", "-n", "5", "a", "bb"}).out.find("a2") != std::string::npos; }, 5s));
    auto r = d.vjctl({"tail", "-n", "5", "a", "bb"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "a  | a1\nbb | b1\na  | a2\n");
    auto one = d.vjctl({"tail", "-n", "1", "a"});
    EXPECT_EQ(one.out, "a2\n");
    EXPECT_EQ(d.vjctl({"tail", "nope"}).exit_code, 1);
}

TEST(Logs, TimestampsAndForward) {
    Daemon d(R"(  stamped:
    command: "echo hello; exec sleep 1000"
    logs: { timestamps: true, forward: true }
)");
    ASSERT_TRUE(eventually([&] { return !read_file(d.file("log/stamped.log")).empty(); }, 5s));
    const auto text = read_file(d.file("log/stamped.log"));
    // 2026-11-24T01:02:03.456Z hello
    ASSERT_EQ(text.size(), 31u) << text;
    EXPECT_EQ(text[4], '-');
    EXPECT_EQ(text[10], 'T');
    EXPECT_EQ(text[19], '.');
    EXPECT_EQ(text.substr(23), "Z hello\n");
    EXPECT_TRUE(eventually([&] { return d.log().find("stamped: hello\n") != std::string::npos; }, 5s)) << d.log();
}

TEST(Logs, FollowSeesLinesAfterRotationAndAfterARestart) {
    Daemon d(R"(  ticker:
    command: "i=0; while :; do i=$((i+1)); echo tick $i pid $$$$; sleep 0.005; done"
    logs: { max_size: 4KiB, keep: 2 }
)");
    ASSERT_TRUE(d.wait_state("ticker", {"running"}));
    const int first_pid = d.status("ticker")["pid"];
    Follower f(d.socket(), {{"names", {"ticker"}}, {"lines", 0}});
    EXPECT_EQ(f.reply["ok"], true);
    const auto log = d.file("log/ticker.log");
    // Lines keep coming while the file is rotated (twice at least).
    ASSERT_TRUE(eventually([&] { return fs::exists(log.string() + ".2"); }, 10s));
    auto e = f.next(5s);
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ((*e)["event"]["name"], "ticker");
    EXPECT_TRUE((*e)["event"]["line"].get<std::string>().starts_with("tick "));

    ASSERT_EQ(d.request("restart", {{"names", {"ticker"}}})["ok"], true);
    ASSERT_TRUE(d.wait_state("ticker", {"running"}));
    const int second_pid = d.status("ticker")["pid"];
    ASSERT_NE(first_pid, second_pid);
    const std::string marker = " pid " + std::to_string(second_pid);
    bool seen = false;
    for (int i = 0; i < 5000 && !seen; ++i) {
        auto ev = f.next(5s);
        ASSERT_TRUE(ev.has_value()) << "the follow ended";
        seen = (*ev)["event"]["line"].get<std::string>().ends_with(marker);
    }
    EXPECT_TRUE(seen) << "no line from the restarted process";
}

/// How supervisord holds the pipe that `pid`'s descriptor `fd` writes to: the number of its own
/// descriptors on that pipe, and how many of those are write ends.
std::pair<int, int> daemon_ends_of(pid_t daemon, pid_t pid, int fd) {
    std::error_code ec;
    const auto pipe = fs::read_symlink("/proc/" + std::to_string(pid) + "/fd/" + std::to_string(fd), ec).string();
    int held = 0, writable = 0;
    for (const auto& e : fs::directory_iterator("/proc/" + std::to_string(daemon) + "/fd")) {
        if (fs::read_symlink(e.path(), ec).string() != pipe) continue;
        ++held;
        const std::string info = read_file("/proc/" + std::to_string(daemon) + "/fdinfo/" + e.path().filename().string());
        const auto flags = std::stoul(info.substr(info.find("flags:") + 6), nullptr, 8);
        if ((flags & O_ACCMODE) != O_RDONLY) ++writable;
    }
    return {held, writable};
}

TEST(Logs, OneReadEndPerStreamAndOutputSurvivesRestartsAndOrphans) {
    // The parent holds no write end, so a service's exit is end-of-file on its pipe; a restart
    // must wake the reader up again, and a grandchild that outlives its parent (in its own
    // session, made before the parent exits, so that the group kill after the exit misses it)
    // is still captured.
    Daemon d("  merged:\n    command: [sleep, \"1000\"]\n"
             "  split:\n    command: [sleep, \"1000\"]\n    logs: { stderr: separate }\n"
             "  again:\n    command: \"echo run; setsid sh -c 'sleep 1; echo orphan' & sleep 0.5; exit 3\"\n"
             "    restart: { policy: always, backoff: { initial: 2s, jitter: 0 } }\n");
    ASSERT_TRUE(d.wait_state("merged", {"running"}, 30s)) << d.log();
    ASSERT_TRUE(d.wait_state("split", {"running"}, 30s)) << d.log();
    const auto pid_of = [&](const std::string& name) -> pid_t {
        return d.request("status", {{"names", {name}}})["result"]["services"][0]["pid"].get<pid_t>();
    };
    // merged: stdout and stderr are one pipe, held once, read-only; split: two pipes.
    EXPECT_EQ(daemon_ends_of(d.pid(), pid_of("merged"), 1), std::make_pair(1, 0));
    EXPECT_EQ(daemon_ends_of(d.pid(), pid_of("merged"), 2), std::make_pair(1, 0));
    EXPECT_EQ(daemon_ends_of(d.pid(), pid_of("split"), 1), std::make_pair(1, 0));
    EXPECT_EQ(daemon_ends_of(d.pid(), pid_of("split"), 2), std::make_pair(1, 0));
    EXPECT_NE(fs::read_symlink("/proc/" + std::to_string(pid_of("split")) + "/fd/1"),
              fs::read_symlink("/proc/" + std::to_string(pid_of("split")) + "/fd/2"));

    const auto log = d.file("log/again.log");
    auto count = [&](const std::string& what) {
        const std::string text = read_file(log);
        std::size_t n = 0;
        for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
        return n;
    };
    // Two runs, each with its orphan's line written after the run itself had exited.
    ASSERT_TRUE(eventually([&] { return count("run\n") >= 2 && count("orphan\n") >= 2; }, 30s)) << read_file(log);
}

TEST(Logs, AFourMiBLineWithoutNewline) {
    Daemon d(R"(  wide:
    command: 'head -c 4194304 /dev/zero | tr "\0" z; exec sleep 1000'
    autostart: false
)");
    Follower f(d.socket(), {{"names", {"wide"}}});
    ASSERT_EQ(d.request("start", {{"names", {"wide"}}})["ok"], true);
    // Followers get an over-long line in 64 KiB pieces as it grows; the last piece waits for the
    // line to go on or end (its newline may be the next byte), so 63 of the 64 pieces arrive.
    const std::size_t expected = (4u << 20) - (64u << 10);
    std::size_t got = 0;
    while (got < expected) {
        auto ev = f.next(10s);
        ASSERT_TRUE(ev.has_value()) << "after " << got << " bytes";
        const auto piece = (*ev)["event"]["line"].get<std::string>();
        EXPECT_EQ(piece.size(), 64u << 10);
        EXPECT_EQ(piece.find_first_not_of('z'), std::string::npos);
        got += piece.size();
    }
    EXPECT_EQ(got, expected);
    EXPECT_FALSE(f.next(300ms).has_value());
    ASSERT_TRUE(eventually([&] { return size_of(d.file("log/wide.log")) == (4u << 20); }, 5s));
    EXPECT_EQ(size_of(d.file("log/wide.log")), 4u << 20);
    // The ring (256 KiB) keeps the end of the unfinished line.
    auto last = d.request("tail", {{"names", {"wide"}}, {"lines", 1}})["result"]["lines"];
    ASSERT_EQ(last.size(), 1u);
    EXPECT_EQ(last[0]["line"].get<std::string>().size(), 256u << 10);
}

TEST(Logs, FilesAreCreated0640AndOwnedByTheServicesUser) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to run a service as another user";
    Daemon d(R"(  low:
    command: "echo hi; exec sleep 1000"
    user: nobody
  mine:
    command: "echo hi; exec sleep 1000"
)");
    ASSERT_TRUE(eventually([&] { return size_of(d.file("log/low.log")) == 3 && size_of(d.file("log/mine.log")) == 3; }, 5s));
    struct stat low{}, mine{};
    ASSERT_EQ(::stat(d.file("log/low.log").c_str(), &low), 0);
    ASSERT_EQ(::stat(d.file("log/mine.log").c_str(), &mine), 0);
    EXPECT_EQ(low.st_mode & 0777, 0640u);
    EXPECT_EQ(low.st_uid, 65534u);  // nobody
    EXPECT_EQ(mine.st_uid, ::geteuid());
}

TEST(Logs, SupervisordLogFile) {
    Daemon d("  a:\n    command: [sleep, \"1000\"]\n", "  log_file: true\n");
    ASSERT_TRUE(d.wait_state("a", {"running"}));
    EXPECT_TRUE(eventually([&] { return read_file(d.file("log/supervisord.log")).find("a: starting -> running") != std::string::npos; }, 5s));
}

}  // namespace
}  // namespace vj::test
