// plugins/audio-analyzer/lua/audio_levels.lua, run in supervisord's real Lua sandbox against status
// files written here as vj-audio writes them. Needs vj_scripting linked into unit_audio (program.cmake
// adds it); without it the tests report themselves skipped.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#if __has_include("scripting/lua_script.hpp")
#define VJ_HAVE_SCRIPTING 1
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <vector>

#include <nlohmann/json.hpp>

#include "scripting/lua_script.hpp"
#endif

namespace vj::audio::program {
namespace {

#if VJ_HAVE_SCRIPTING

using namespace std::chrono_literals;
using ::testing::MatchesRegex;
namespace fs = std::filesystem;
using scripting::ScriptResult;
using Verdict = core::Verdict;

const std::string kScript = VJ_SOURCE_DIR "/plugins/audio-analyzer/lua/audio_levels.lua";

class ProgramAudioLevelsScript : public ::testing::Test {
protected:
    ProgramAudioLevelsScript() {
        std::string pattern = (fs::temp_directory_path() / "vj-audio-levels-XXXXXX").string();
        if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        dir_ = pattern;
        status_ = (dir_ / "audio.json").string();
    }
    ~ProgramAudioLevelsScript() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }

    /// A status file as vj-audio writes it, with `history` as level_history_db (newest last).
    void write_status(const std::vector<double>& history, double bpm = 121.94, double level_db = -14.2) {
        nlohmann::json j = {{"input", "test:click:120"}, {"bpm", bpm}, {"bpm_confidence", 0.8}, {"level_db", level_db},
                            {"level", 0.2},                 {"level_history_db", history}};
        std::ofstream(status_, std::ios::trunc) << j.dump(2);
    }
    void age_status(double seconds) {
        timespec now{};
        ::clock_gettime(CLOCK_REALTIME, &now);
        timespec times[2] = {now, now};
        times[1].tv_sec -= static_cast<time_t>(seconds);
        ASSERT_EQ(::utimensat(AT_FDCWD, status_.c_str(), times, 0), 0);
    }
    ScriptResult run(const std::string& args_json) {
        scripting::ProbeContext ctx;
        ctx.service = ctx.instance = "audio";
        ctx.args_json = args_json;
        return script_.run(ctx, 5s);
    }
    std::string args(const std::string& more = "") const {
        return R"({"status": ")" + status_ + "\"" + (more.empty() ? "" : ", " + more) + "}";
    }

    fs::path dir_;
    std::string status_;
    scripting::LuaScript script_{kScript, {VJ_SOURCE_DIR "/lua"}};
};

std::vector<double> seconds_of(std::size_t n, double db) { return std::vector<double>(n, db); }

TEST_F(ProgramAudioLevelsScript, SoundIsHealthyWithTempoAndLevel) {
    write_status(seconds_of(120, -14));
    const ScriptResult r = run(args());
    EXPECT_EQ(r.verdict, Verdict::healthy) << r.message;
    EXPECT_EQ(r.message, "121.9 BPM, -14.2 dBFS");
    write_status(seconds_of(5, -14), 0, -30.04);
    EXPECT_EQ(run(args()).message, "no tempo yet, -30.0 dBFS");
    // The first status file, written before the first hop.
    std::ofstream(status_, std::ios::trunc) << R"({"hops": 0, "bpm": 0, "level_db": -120, "level_history_db": []})";
    const ScriptResult starting = run(args());
    EXPECT_EQ(starting.verdict, Verdict::healthy);
    EXPECT_EQ(starting.message, "no audio analysed yet");
}

TEST_F(ProgramAudioLevelsScript, SilentForLongEnoughIsDegraded) {
    auto history = seconds_of(100, -12);
    for (int i = 0; i < 45; ++i) history.push_back(-70);
    write_status(history);
    const ScriptResult r = run(args());
    EXPECT_EQ(r.verdict, Verdict::degraded) << r.message;
    EXPECT_EQ(r.message, "silent for 45s (every second below -50 dBFS)");
    // One loud second inside the last 30 is enough.
    history[history.size() - 10] = -20;
    write_status(history);
    EXPECT_EQ(run(args()).verdict, Verdict::healthy);
}

TEST_F(ProgramAudioLevelsScript, ThresholdAndSilentForAreArguments) {
    auto history = seconds_of(100, -12);
    for (int i = 0; i < 20; ++i) history.push_back(-40);
    write_status(history);
    EXPECT_EQ(run(args()).verdict, Verdict::healthy);   // -40 is not below -50
    const ScriptResult quiet = run(args(R"("threshold": -30, "silent_for": "20s")"));
    EXPECT_EQ(quiet.verdict, Verdict::degraded);
    EXPECT_EQ(quiet.message, "silent for 20s (every second below -30 dBFS)");
    EXPECT_EQ(run(args(R"("threshold": -30, "silent_for": "21s")")).verdict, Verdict::healthy);
    EXPECT_EQ(run(args(R"("threshold": -30, "silent_for": 20)")).verdict, Verdict::degraded);
    // A history shorter than silent_for cannot have been silent that long.
    write_status(seconds_of(20, -90));
    EXPECT_EQ(run(args()).verdict, Verdict::healthy);
    EXPECT_EQ(run(args(R"("silent_for": "1m")")).verdict, Verdict::healthy);
    write_status(seconds_of(90, -90));
    EXPECT_EQ(run(args(R"("silent_for": "1m")")).message, "silent for 1m30s (every second below -50 dBFS)");
}

TEST_F(ProgramAudioLevelsScript, MissingOrStaleStatusIsUnhealthy) {
    const ScriptResult missing = run(args());
    EXPECT_EQ(missing.verdict, Verdict::unhealthy);
    EXPECT_EQ(missing.message, "audio_levels: cannot stat " + status_ + ": No such file or directory");
    write_status(seconds_of(10, -10));
    age_status(12);
    const ScriptResult stale = run(args());
    EXPECT_EQ(stale.verdict, Verdict::unhealthy);
    EXPECT_THAT(stale.message, MatchesRegex("audio_levels: status .*/audio.json is 1[23]\\.[0-9]s old \\(max 5s\\)"));
    EXPECT_EQ(run(args(R"("max_age": "1m")")).verdict, Verdict::healthy);
}

TEST_F(ProgramAudioLevelsScript, BadArgumentsAndFilesSayWhat) {
    EXPECT_EQ(run("{}").message, "audio_levels: args.status is required (vj-audio's --status file)");
    write_status(seconds_of(10, -10));
    EXPECT_EQ(run(args(R"("threshold": "loud")")).message, "audio_levels: args.threshold: expected dBFS, got 'loud'");
    EXPECT_THAT(run(args(R"("silent_for": "soon")")).message,
                ::testing::StartsWith("audio_levels: args.silent_for: invalid duration 'soon'"));
    std::ofstream(status_, std::ios::trunc) << "{\"bpm\": ";
    const ScriptResult broken = run(args());
    EXPECT_EQ(broken.verdict, Verdict::unhealthy);
    EXPECT_THAT(broken.message, ::testing::HasSubstr("invalid JSON"));
    std::ofstream(status_, std::ios::trunc) << "{\"bpm\": 120}";
    EXPECT_THAT(run(args()).message, ::testing::HasSubstr("no level_history_db"));
}

#else

TEST(ProgramAudioLevelsScript, NeedsVjScripting) { GTEST_SKIP() << "unit_audio is not linked with vj_scripting"; }

#endif

}  // namespace
}  // namespace vj::audio::program
