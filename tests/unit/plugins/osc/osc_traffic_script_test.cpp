// plugins/osc-monitor/lua/osc_traffic.lua, run in supervisord's real Lua sandbox against status
// files written here, as tests/unit/scripting/shipped_scripts_test.cpp runs the shipped scripts.
// Needs vj_scripting linked into this test target; without it the tests report themselves skipped.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#if __has_include("scripting/lua_script.hpp")
#define VJ_HAVE_SCRIPTING 1
#include <fcntl.h>
#include <sys/stat.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "scripting/lua_script.hpp"
#include "sdk/osc_pattern.hpp"
#endif

namespace vj::osc_monitor {
namespace {

#if VJ_HAVE_SCRIPTING

using namespace std::chrono_literals;
using ::testing::MatchesRegex;
namespace fs = std::filesystem;

const std::string kScript = VJ_SOURCE_DIR "/plugins/osc-monitor/lua/osc_traffic.lua";

double now_seconds() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

class OscTrafficScript : public ::testing::Test {
protected:
    OscTrafficScript() {
        std::string pattern = (fs::temp_directory_path() / "vj-osc-traffic-XXXXXX").string();
        if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        dir_ = pattern;
        status_ = (dir_ / "osc.json").string();
    }
    ~OscTrafficScript() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }

    // A status file as vj-osc-monitor writes it, with `addresses` {address: seconds since last seen}.
    void write_status(const std::map<std::string, double>& addresses, double rate = 10) {
        nlohmann::json j;
        j["time"] = now_seconds();
        j["uptime"] = 12.0;
        j["addresses"] = nlohmann::json::object();
        for (const auto& [address, ago] : addresses)
            j["addresses"][address] = {{"count", 100}, {"rate", rate}, {"last", ",f 0.5"}, {"last_seen", now_seconds() - ago}};
        std::ofstream(status_, std::ios::trunc) << j.dump(2);
    }

    void age_status(double seconds_ago) {
        timespec now{};
        ::clock_gettime(CLOCK_REALTIME, &now);
        now.tv_sec -= static_cast<time_t>(seconds_ago);
        const timespec times[2] = {now, now};
        ASSERT_EQ(::utimensat(AT_FDCWD, status_.c_str(), times, 0), 0);
    }

    scripting::ScriptResult run(const std::string& args_json) {
        scripting::ProbeContext ctx;
        ctx.service = "osc-monitor";
        ctx.instance = "osc-monitor";
        ctx.args_json = args_json;
        return script_.run(ctx, 5s);
    }
    scripting::ScriptResult run_with(const std::string& more) {
        return run(R"({"status": ")" + status_ + "\"" + (more.empty() ? "" : ", " + more) + "}");
    }

    fs::path dir_;
    std::string status_;
    scripting::LuaScript script_{kScript, {}};
};

TEST_F(OscTrafficScript, RecentTrafficOnThePatternIsHealthy) {
    write_status({{"/vj/audio/level", 0.02}, {"/vj/audio/peak", 0.5}, {"/vj/video/fade", 0.0}}, 156);
    const auto r = run_with(R"("address": "/vj/audio/*", "max_silence": "5s")");
    EXPECT_EQ(r.verdict, core::Verdict::healthy) << r.message;
    EXPECT_THAT(r.message, MatchesRegex("312 msg/s on /vj/audio/\\*, last 0\\.0[0-9]s ago"));
}

TEST_F(OscTrafficScript, SilenceLongerThanMaxSilenceIsUnhealthy) {
    write_status({{"/vj/audio/level", 10}, {"/vj/video/fade", 0}});
    const auto r = run_with(R"("address": "/vj/audio/*", "max_silence": "5s")");
    EXPECT_EQ(r.verdict, core::Verdict::unhealthy);
    EXPECT_THAT(r.message, MatchesRegex("no message on /vj/audio/\\* for 10\\.[0-9]s \\(max 5s\\)"));
    EXPECT_EQ(run_with(R"("address": "/vj/audio/*", "max_silence": 30)").verdict, core::Verdict::healthy);
}

TEST_F(OscTrafficScript, NoMatchingAddressIsUnhealthy) {
    write_status({{"/vj/video/fade", 0}});
    const auto r = run_with(R"("address": "/vj/audio/*")");
    EXPECT_EQ(r.verdict, core::Verdict::unhealthy);
    EXPECT_EQ(r.message, "no message on /vj/audio/* since vj-osc-monitor started 12s ago");
}

TEST_F(OscTrafficScript, AnyAddressByDefaultAndMinRateDegrades) {
    write_status({{"/x", 0.1}}, 2);
    const auto r = run_with("");
    EXPECT_EQ(r.verdict, core::Verdict::healthy) << r.message;
    EXPECT_THAT(r.message, MatchesRegex("2\\.0 msg/s on //\\*, last 0\\.[0-9][0-9]s ago"));
    const auto slow = run_with(R"("min_rate": 5)");
    EXPECT_EQ(slow.verdict, core::Verdict::degraded);
    EXPECT_THAT(slow.message, MatchesRegex(".* \\(min 5\\.0 msg/s\\)"));
}

TEST_F(OscTrafficScript, StaleOrMissingStatusIsUnhealthy) {
    write_status({{"/x", 0}});
    age_status(10);
    const auto stale = run_with("");
    EXPECT_EQ(stale.verdict, core::Verdict::unhealthy);
    EXPECT_THAT(stale.message, MatchesRegex("status .*/osc.json is 1[01]\\.[0-9]s old \\(max 5s\\): "
                                            "vj-osc-monitor is not writing it"));
    EXPECT_EQ(run_with(R"("max_age": "1m")").verdict, core::Verdict::healthy);

    fs::remove(status_);
    EXPECT_EQ(run_with("").message, "osc_traffic: cannot stat " + status_ + ": No such file or directory");
    std::ofstream(status_) << "{\"addresses\": ";
    EXPECT_THAT(run_with("").message, MatchesRegex("osc_traffic: .*/osc.json: invalid JSON: .*"));
}

TEST_F(OscTrafficScript, BadArgumentsSayWhich) {
    write_status({{"/x", 0}});
    EXPECT_EQ(run("{}").message, "osc_traffic: args.status is required");
    EXPECT_EQ(run_with(R"("address": "/vj/[ab")").message, "osc_traffic: args.address '/vj/[ab': unclosed '['");
    EXPECT_EQ(run_with(R"("address": "vj")").message,
              "osc_traffic: args.address 'vj': an OSC address pattern starts with '/'");
    EXPECT_THAT(run_with(R"("max_silence": "soon")").message,
                MatchesRegex("osc_traffic: args.max_silence: invalid duration 'soon'.*"));
    EXPECT_EQ(run_with(R"("min_rate": "fast")").message,
              "osc_traffic: args.min_rate: expected messages per second, a number");
}

// The Lua matcher and the C++ one (what --filter uses) agree.
TEST_F(OscTrafficScript, PatternsMatchAsTheMonitorsFilterDoes) {
    const std::pair<const char*, const char*> cases[] = {
        {"/a/b", "/a/b"},          {"/a/?", "/a/bc"},         {"/a/*", "/a/"},
        {"/a/*", "/a/x/y"},        {"/a*c", "/abbbc"},        {"/*a*b*", "/xbxax"},
        {"/[abc]", "/b"},          {"/[!a-c]", "/b"},         {"/[a-]", "/-"},
        {"/[-a]", "/-"},           {"/[!!]", "/x"},           {"/[]", "/a"},
        {"/[!]", "/a"},            {"/[z-a]", "/m"},          {"/band[0-9]*", "/band10"},
        {"/{foo,bar}", "/bar"},    {"/{foo,bar}", "/foobar"}, {"/{,x}y", "/y"},
        {"/{f,fo}o", "/fo"},       {"/{}", "/"},              {"/{a*,b}", "/a*"},
        {"//level", "/level"},     {"//level", "/vj/a/level"}, {"/vj//level", "/x/level"},
        {"/vj//*", "/vj"},         {"/a///b", "/a/x/y/b"},    {"/a]", "/a]"},
        {"/a/", "/a"},             {"/", "/"},                {"//*", "/anything/at/all"},
    };
    for (const auto& [pattern, address] : cases) {
        write_status({{address, 0}});
        const auto r = run_with(std::string(R"("address": ")") + pattern + "\"");
        const bool lua = r.verdict == core::Verdict::healthy;
        EXPECT_EQ(lua, sdk::osc::pattern_matches(pattern, address))
            << "pattern " << pattern << " address " << address << ": " << r.message;
    }
}

#else

TEST(OscTrafficScript, NeedsVjScripting) {
    GTEST_SKIP() << "osc_traffic.lua is tested when unit_osc links vj_scripting (tests/CMakeLists.txt)";
}

#endif

}  // namespace
}  // namespace vj::osc_monitor
