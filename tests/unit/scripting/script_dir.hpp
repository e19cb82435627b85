// Test helper: a throw-away lua_path directory to write scripts and lib/ modules into.
#pragma once

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "scripting/lua_script.hpp"

namespace vj::scripting::test_support {

/// A fresh directory under $TMPDIR, removed with everything in it on destruction.
class ScriptDir {
public:
    ScriptDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "vj-lua-test-XXXXXX").string();
        if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        root_ = std::filesystem::canonical(pattern).string();
    }
    ~ScriptDir() {
        std::error_code ec;
        std::filesystem::remove_all(root_, ec);
    }
    ScriptDir(const ScriptDir&) = delete;
    ScriptDir& operator=(const ScriptDir&) = delete;

    /// Writes `text` to `relative` (parents created) and returns its absolute path.
    std::string write(std::string_view relative, std::string_view text) const {
        const auto file = std::filesystem::path(root_) / relative;
        std::filesystem::create_directories(file.parent_path());
        std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
        return file.string();
    }

    /// Sets the file's mtime to `seconds_ago` before now (utimensat), to make a change visible
    /// even within one timestamp tick, or to age a heartbeat file.
    static void set_mtime(const std::string& path, double seconds_ago) {
        timespec now{};
        ::clock_gettime(CLOCK_REALTIME, &now);
        const auto ago = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(seconds_ago));
        const long long ns = static_cast<long long>(now.tv_sec) * 1'000'000'000 + now.tv_nsec - ago.count();
        const timespec times[2] = {{ns / 1'000'000'000, ns % 1'000'000'000}, {ns / 1'000'000'000, ns % 1'000'000'000}};
        ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), times, 0), 0);
    }

    std::string path(std::string_view relative) const { return (std::filesystem::path(root_) / relative).string(); }
    const std::string& root() const { return root_; }

private:
    std::string root_;
};

inline ProbeContext context_with_args(std::string args_json) {
    ProbeContext ctx;
    ctx.service = "audio";
    ctx.instance = "audio";
    ctx.args_json = std::move(args_json);
    return ctx;
}

}  // namespace vj::scripting::test_support
