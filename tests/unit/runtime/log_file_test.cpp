// LogFile rotation (size, age, keep) and the Ring's tail, with time passed in: no sleeps.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "runtime/log_file.hpp"
#include "runtime/output_capture.hpp"

namespace vj::runtime {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string slurp(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

class LogFileTest : public ::testing::Test {
protected:
    LogFileTest() : dir_(fs::temp_directory_path() / ("vj-logfile-" + std::to_string(::getpid()))) {
        fs::create_directories(dir_);
    }
    ~LogFileTest() override { fs::remove_all(dir_); }
    std::string path(const std::string& name) const { return (dir_ / name).string(); }
    fs::path dir_;
    LogFile::SystemTime t0 = LogFile::SystemTime{} + std::chrono::hours(24 * 365 * 50);
};

TEST_F(LogFileTest, RotatesByAgeAtTheNextWrite) {
    LogFileOptions o;
    o.path = path("svc.log");
    o.rotate_every = std::chrono::milliseconds(60'000);
    o.keep = 2;
    LogFile f(o);
    f.write("one\n", t0);
    f.write("two\n", t0 + 59s);
    EXPECT_FALSE(fs::exists(o.path + ".1"));
    f.write("three\n", t0 + 60s);
    EXPECT_EQ(slurp(o.path + ".1"), "one\ntwo\n");
    EXPECT_EQ(slurp(o.path), "three\n");
    f.write("four\n", t0 + 121s);
    f.write("five\n", t0 + 182s);
    EXPECT_EQ(slurp(o.path + ".2"), "three\n");
    EXPECT_EQ(slurp(o.path + ".1"), "four\n");
    EXPECT_EQ(slurp(o.path), "five\n");
    EXPECT_FALSE(fs::exists(o.path + ".3"));  // keep: 2
}

TEST_F(LogFileTest, SizeRotationCutsAtLineBoundariesAndSplitsOnlyOverlongLines) {
    LogFileOptions o;
    o.path = path("s.log");
    o.max_size = 10;
    o.keep = 10;
    LogFile f(o);
    f.write("aaaa\nbbbb\ncc", t0);  // 12 bytes: "aaaa\nbbbb\n" fits exactly, "cc" starts the next file
    f.write("\n0123456789abcdef", t0);
    // "cc\n" ends the second file; the over-long line fills a third and goes on in a fourth.
    EXPECT_EQ(slurp(o.path + ".3"), "aaaa\nbbbb\n");
    EXPECT_EQ(slurp(o.path + ".2"), "cc\n");
    EXPECT_EQ(slurp(o.path + ".1"), "0123456789");
    EXPECT_EQ(slurp(o.path), "abcdef");
    f.write("\n", t0);
    EXPECT_EQ(slurp(o.path), "abcdef\n");
}

TEST_F(LogFileTest, UnwritableFileHoldsThenDropsThenMarks) {
    LogFileOptions o;
    o.path = path("missing-dir/x.log");  // cannot be opened until the directory exists
    o.hold = 8;
    LogFile f(o);
    f.write("12345", t0);
    f.write("67890abc", t0);  // 8 held, 5 dropped
    EXPECT_TRUE(f.holding());
    EXPECT_FALSE(f.flush(t0));
    fs::create_directories(dir_ / "missing-dir");
    EXPECT_TRUE(f.flush(t0));
    EXPECT_EQ(slurp(o.path),
              "12345678[vj-supervisor: 5 bytes dropped: cannot open " + o.path + ": No such file or directory]\n");
    EXPECT_EQ(f.dropped_total(), 5u);
}

TEST(Ring, LastLinesAcrossChunksWithAnUnfinishedLine) {
    Ring r(1024);
    const LogFile::SystemTime t{};
    r.push(1, t, "a\nb");
    r.push(2, t, "c\nd\n");
    r.push(3, t, "e");
    auto lines = r.last_lines(10);
    ASSERT_EQ(lines.size(), 4u);
    EXPECT_EQ(lines[0].text, "a");
    EXPECT_EQ(lines[1].text, "bc");
    EXPECT_EQ(lines[1].seq, 2u);  // stamped with the chunk it ended in
    EXPECT_EQ(lines[2].text, "d");
    EXPECT_EQ(lines[3].text, "e");
    EXPECT_EQ(r.last_lines(2).front().text, "d");
}

TEST(Ring, KeepsOnlyTheLastBytes) {
    Ring r(8);
    r.push(1, {}, "0123456789\nab");
    auto lines = r.last_lines(5);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0].text, "56789");  // the start of the line fell out of the ring
    EXPECT_EQ(lines[1].text, "ab");
}

}  // namespace
}  // namespace vj::runtime
