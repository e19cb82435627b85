// The status file is replaced whole (never half-written), and the heartbeat touch creates and
// refreshes its file.
#include "sdk/status_file.hpp"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace vj::sdk {
namespace {

namespace fs = std::filesystem;

struct TempDir {
    fs::path path = fs::temp_directory_path() / ("vj-sdk-test-" + std::to_string(::getpid()));
    TempDir() { fs::create_directories(path); }
    ~TempDir() { fs::remove_all(path); }
};

std::string read(const fs::path& p) {
    std::ifstream in(p);
    return {std::istreambuf_iterator<char>(in), {}};
}

TEST(StatusFile, WritesJsonAndLeavesNoTemporary) {
    TempDir d;
    const std::string path = (d.path / "status.json").string();
    ASSERT_TRUE(write_status_file(path, {{"bpm", 120.5}, {"input", "test:click"}}));
    EXPECT_EQ(nlohmann::json::parse(read(path)), (nlohmann::json{{"bpm", 120.5}, {"input", "test:click"}}));
    ASSERT_TRUE(write_status_file(path, {{"bpm", 121}}));
    EXPECT_EQ(nlohmann::json::parse(read(path))["bpm"], 121);
    EXPECT_FALSE(fs::exists(path + ".new"));
}

TEST(StatusFile, ReplacesByRenameSoAnOpenReaderKeepsTheOldFile) {
    TempDir d;
    const std::string path = (d.path / "status.json").string();
    ASSERT_TRUE(write_status_file(path, {{"n", 1}}));
    std::ifstream reader(path);   // holds the old inode
    ASSERT_TRUE(write_status_file(path, {{"n", 2}}));
    std::string old{std::istreambuf_iterator<char>(reader), {}};
    EXPECT_EQ(nlohmann::json::parse(old)["n"], 1);
    EXPECT_EQ(nlohmann::json::parse(read(path))["n"], 2);
}

TEST(StatusFile, FailureNamesThePath) {
    const auto r = write_status_file("/nonexistent-dir/status.json", {{"n", 1}});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), "cannot open /nonexistent-dir/status.json.new: No such file or directory");
}

TEST(TouchFile, CreatesThenRefreshes) {
    TempDir d;
    const std::string path = (d.path / "hb").string();
    ASSERT_TRUE(touch_file(path));
    ASSERT_TRUE(fs::exists(path));
    // Age the file, then touch it: its mtime comes back to now.
    const timespec old_times[2] = {{1, 0}, {1, 0}};
    ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), old_times, 0), 0);
    ASSERT_TRUE(touch_file(path));
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_GT(st.st_mtim.tv_sec, 1'000'000'000);
    EXPECT_FALSE(touch_file("/nonexistent-dir/hb"));
}

}  // namespace
}  // namespace vj::sdk
