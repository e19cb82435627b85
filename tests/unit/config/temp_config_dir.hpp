// Test helper: a throw-away directory of config files, and running the loader on them.
#pragma once

#include <stdlib.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "config/loader.hpp"

namespace vj::config::test_support {

/// A fresh directory under $TMPDIR, removed with everything in it on destruction.
class TempConfigDir {
public:
    TempConfigDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "vj-config-test-XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        // Canonical, so that expectations built from it match what the loader resolves.
        root_ = std::filesystem::canonical(pattern);
    }
    ~TempConfigDir() {
        std::error_code ec;
        std::filesystem::remove_all(root_, ec);
    }
    TempConfigDir(const TempConfigDir&) = delete;
    TempConfigDir& operator=(const TempConfigDir&) = delete;

    /// Writes `text` to `relative` (parents created) and returns its absolute path.
    std::filesystem::path write(std::string_view relative, std::string_view text) const {
        const auto file = root_ / relative;
        std::filesystem::create_directories(file.parent_path());
        std::ofstream(file, std::ios::binary) << text;
        return file;
    }

    std::filesystem::path path(std::string_view relative) const { return root_ / relative; }
    /// "ABS/relative" as the loader prints it in messages.
    std::string at(std::string_view relative) const { return path(relative).string(); }
    const std::filesystem::path& root() const { return root_; }

private:
    std::filesystem::path root_;
};

/// Changes the working directory for the lifetime of the object (tests of relative paths).
class ScopedCwd {
public:
    explicit ScopedCwd(const std::filesystem::path& dir) : previous_(std::filesystem::current_path()) {
        std::filesystem::current_path(dir);
    }
    ~ScopedCwd() {
        std::error_code ec;
        std::filesystem::current_path(previous_, ec);
    }
    ScopedCwd(const ScopedCwd&) = delete;
    ScopedCwd& operator=(const ScopedCwd&) = delete;

private:
    std::filesystem::path previous_;
};

/// Every diagnostic rendered with to_string(), in order.
inline std::vector<std::string> rendered(const LoadResult& result) {
    std::vector<std::string> out;
    for (const auto& d : result.diagnostics) out.push_back(d.to_string());
    return out;
}

/// One service "web" with a command; `extra` is indented under it (4 spaces), starting on line 5.
inline std::string web_with(std::string_view extra) {
    return "version: 1\n"
           "services:\n"
           "  web:\n"
           "    command: [sleep, \"60\"]\n" +
           std::string(extra);
}

/// A fixture for tests that load etc/services.yaml written into a fresh directory.
class LoadingTest : public ::testing::Test {
protected:
    /// Loads etc/services.yaml written from `text`; fails the test on any diagnostic.
    core::Config load_ok(std::string_view text, const Environment& env = {}) {
        const auto result = load(dir_.write("etc/services.yaml", text), env);
        EXPECT_THAT(rendered(result), ::testing::IsEmpty());
        return result.config.value_or(core::Config{});
    }

    /// The service called `name` (a test failure, and an empty spec, if there is none).
    const core::ServiceSpec& service(const core::Config& config, std::string_view name) {
        for (const auto& s : config.services)
            if (s.name == name) return s;
        ADD_FAILURE() << "no service " << name;
        static const core::ServiceSpec none;
        return none;
    }

    /// Loads `text` as etc/services.yaml and expects exactly this one diagnostic in it.
    void expect_one(std::string_view text, int line, int column, std::string_view message,
                    const Environment& env = {}) {
        const auto result = load(dir_.write("etc/services.yaml", text), env);
        EXPECT_FALSE(result.config.has_value());
        EXPECT_THAT(rendered(result),
                    ::testing::ElementsAre(dir_.at("etc/services.yaml") + ":" + std::to_string(line) + ":" +
                                           std::to_string(column) + ": error: " + std::string(message)));
    }

    TempConfigDir dir_;
};

}  // namespace vj::config::test_support
