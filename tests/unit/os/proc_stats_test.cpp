// /proc/PID/stat parsing and group totals: crafted lines, this process, and children in their own group.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "os/proc.hpp"
#include "os/proc_stats.hpp"

extern char** environ;

namespace vj::os {
namespace {

namespace fs = std::filesystem;

// Fields 1..24 of a stat line; comm is filled in by each test.
std::string stat_line(const std::string& comm) {
    return "4242 (" + comm +
           ") S 1 4240 4200 0 -1 4194560 100 0 0 0 250 150 0 0 20 0 3 0 987654 1000000 512 18446744073709551615 "
           "1 1 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
}

TEST(ParseProcStat, ReadsTheFieldsItNeeds) {
    const auto s = parse_proc_stat(stat_line("sleep"), 4096, 100);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->pid, 4242);
    EXPECT_EQ(s->state, 'S');
    EXPECT_EQ(s->ppid, 1);
    EXPECT_EQ(s->pgrp, 4240);
    EXPECT_EQ(s->session, 4200);
    EXPECT_DOUBLE_EQ(s->cpu_seconds, 4.0);  // (250 + 150) / 100
    EXPECT_EQ(s->threads, 3);
    EXPECT_EQ(s->start_time, 987654u);
    EXPECT_EQ(s->rss_bytes, 512u * 4096u);
}

TEST(ParseProcStat, CommWithSpacesAndParentheses) {
    for (const std::string comm : {"a b", "a) b", ") (", "x) S 9 9 9", "))"}) {
        SCOPED_TRACE(comm);
        const auto s = parse_proc_stat(stat_line(comm), 4096, 100);
        ASSERT_TRUE(s);
        EXPECT_EQ(s->state, 'S');
        EXPECT_EQ(s->ppid, 1);
        EXPECT_EQ(s->pgrp, 4240);
        EXPECT_EQ(s->rss_bytes, 512u * 4096u);
    }
}

TEST(ParseProcStat, RejectsCutOrGarbledLines) {
    EXPECT_FALSE(parse_proc_stat("", 4096, 100));
    EXPECT_FALSE(parse_proc_stat("4242 (sleep) S 1 4240", 4096, 100));
    EXPECT_FALSE(parse_proc_stat("4242 sleep S 1 4240 4200", 4096, 100));
    std::string bad_pid = stat_line("sleep");
    bad_pid.replace(0, 4, "x");
    EXPECT_FALSE(parse_proc_stat(bad_pid, 4096, 100));
    std::string bad = stat_line("sleep");
    bad.replace(bad.find(" 1 4240"), 7, " one 4240");
    EXPECT_FALSE(parse_proc_stat(bad, 4096, 100));
}

TEST(ReadProcStat, ThisProcess) {
    const auto s = read_proc_stat(::getpid());
    ASSERT_TRUE(s);
    EXPECT_EQ(s->pid, ::getpid());
    EXPECT_EQ(s->state, 'R');
    EXPECT_EQ(s->ppid, ::getppid());
    EXPECT_EQ(s->pgrp, ::getpgrp());
    EXPECT_EQ(s->session, ::getsid(0));
    EXPECT_GT(s->rss_bytes, 0u);
    EXPECT_GE(s->threads, 1);
    EXPECT_GE(s->cpu_seconds, 0.0);
    EXPECT_EQ(s->start_time, process_start_time(::getpid()));
}

TEST(ReadProcStat, NoSuchProcess) { EXPECT_FALSE(read_proc_stat(0x7ffffffe)); }

/// A child running `program` in a process group of its own; killed and reaped on destruction.
class Child {
public:
    explicit Child(const std::string& program, pid_t group = 0) {
        posix_spawnattr_t attr;
        posix_spawnattr_init(&attr);
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
        posix_spawnattr_setpgroup(&attr, group);
        std::string arg0 = program, arg1 = "30";
        char* argv[] = {arg0.data(), arg1.data(), nullptr};
        // glibc's posix_spawn returns after the exec: comm already names the new program.
        const int err = ::posix_spawn(&pid_, program.c_str(), nullptr, &attr, argv, environ);
        posix_spawnattr_destroy(&attr);
        if (err != 0) throw std::runtime_error("posix_spawn " + program + ": " + std::to_string(err));
    }
    ~Child() {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;
    pid_t pid() const { return pid_; }

private:
    pid_t pid_ = -1;
};

TEST(ReadProcStat, ChildInItsOwnGroupWithAnAwkwardName) {
    std::string pattern = (fs::temp_directory_path() / "vj-proc-test-XXXXXX").string();
    ASSERT_TRUE(::mkdtemp(pattern.data()));
    const fs::path dir = pattern;
    const fs::path program = dir / "a) b";
    fs::copy_file("/bin/sleep", program);
    fs::permissions(program, fs::perms::owner_all);
    {
        Child child(program.string());
        std::string comm;
        std::getline(std::ifstream("/proc/" + std::to_string(child.pid()) + "/comm"), comm);
        EXPECT_EQ(comm, "a) b");
        const auto s = read_proc_stat(child.pid());
        ASSERT_TRUE(s);
        EXPECT_EQ(s->pid, child.pid());
        EXPECT_EQ(s->ppid, ::getpid());
        EXPECT_EQ(s->pgrp, child.pid());  // setpgid(0, 0): its own group
        EXPECT_TRUE(s->state == 'R' || s->state == 'S') << s->state;  // rss may still read 0 just after exec
        EXPECT_EQ(s->threads, 1);
    }
    fs::remove_all(dir);
}

TEST(GroupStats, SumsEveryProcessOfEachAskedGroupInOnePass) {
    Child leader("/bin/sleep");
    Child member("/bin/sleep", leader.pid());
    Child other("/bin/sleep");
    const pid_t nobody = 0x7ffffffe;
    const auto totals = group_stats({leader.pid(), other.pid(), nobody});
    ASSERT_EQ(totals.size(), 2u);  // a group with no process is absent
    EXPECT_EQ(totals.at(leader.pid()).processes, 2);
    EXPECT_EQ(totals.at(other.pid()).processes, 1);
    EXPECT_GE(totals.at(leader.pid()).cpu_seconds, 0.0);  // rss may still read 0 just after exec
    EXPECT_TRUE(group_stats({}).empty());
}

TEST(GroupStats, ThisProcessGroup) {
    const auto totals = group_stats({::getpgrp()});
    ASSERT_EQ(totals.count(::getpgrp()), 1u);
    EXPECT_GE(totals.at(::getpgrp()).processes, 1);
    EXPECT_GT(totals.at(::getpgrp()).rss_bytes, 0u);
}

}  // namespace
}  // namespace vj::os
