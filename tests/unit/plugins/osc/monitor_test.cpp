// vj-osc-monitor's core through values: what it prints, counts and reports for given datagrams
// at given times (no sockets, no clock).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "line_limiter.hpp"
#include "malformed_report.hpp"
#include "monitor.hpp"
#include "monitor_options.hpp"
#include "rate_window.hpp"
#include "sdk/osc.hpp"

namespace vj::osc_monitor {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
namespace osc = sdk::osc;
using Clock = std::chrono::steady_clock;
using WallClock = std::chrono::system_clock;

const Clock::time_point t0 = Clock::time_point(1000s);
const WallClock::time_point w0 = WallClock::time_point(std::chrono::sys_days{std::chrono::November / 24 / 2026});

std::vector<std::byte> wire(const osc::Packet& p) { return osc::encode(p); }

std::vector<std::byte> raw(std::string_view text) {
    std::vector<std::byte> out;
    for (char c : text) out.push_back(std::byte(static_cast<unsigned char>(c)));
    return out;
}

MonitorConfig config(std::uint32_t cap = 0, std::vector<std::string> filters = {}, std::size_t max_addresses = 1000) {
    MonitorConfig c;
    c.listen = {"127.0.0.1:9000", "127.0.0.1:9001"};
    for (const std::string& f : filters) c.filters.push_back(*osc::AddressPattern::compile(f));
    c.max_lines_per_second = cap;
    c.max_addresses = max_addresses;
    return c;
}

// ---- Monitor

TEST(Monitor, PrintsOneLinePerMessageWithBundleTimes) {
    Monitor m(config(), t0);
    Output out;
    m.datagram(0, wire(osc::Message{"/foo", {1000, -1, std::string("hello"), 1.234f, 5.678f}}), "127.0.0.1:5000", t0,
               w0, out);
    const osc::TimeTag at = osc::TimeTag::from_parts(0xeeafd4c8, 0x40000000);
    m.datagram(1,
               wire(osc::Bundle{osc::TimeTag::immediately(),
                                {osc::Message{"/beat", {1}}, osc::Bundle{at, {osc::Message{"/bpm", {128.0f}}}}}}),
               "127.0.0.1:5000", t0, w0, out);
    EXPECT_EQ(out.lines,
              "now /foo ,iisff 1000 -1 \"hello\" 1.234 5.678\n"
              "now /beat ,i 1\n"
              "2026-11-24T09:18:00.250000Z /bpm ,f 128\n");
    EXPECT_TRUE(out.warnings.empty());

    const nlohmann::json s = m.status(t0 + 500ms, w0 + 500ms);
    EXPECT_EQ(s["packets"], 2);
    EXPECT_EQ(s["messages"], 3);
    EXPECT_EQ(s["bundles"], 2);
    EXPECT_EQ(s["malformed"], 0);
    EXPECT_EQ(s["bytes"], 40 + 76);
    EXPECT_EQ(s["printed"], 3);
    EXPECT_EQ(s["listen"][0]["address"], "127.0.0.1:9000");
    EXPECT_EQ(s["listen"][0]["packets"], 1);
    EXPECT_EQ(s["listen"][1]["messages"], 2);
    EXPECT_EQ(s["addresses"]["/bpm"]["count"], 1);
    EXPECT_EQ(s["addresses"]["/bpm"]["last"], ",f 128");
    EXPECT_EQ(s["addresses"]["/foo"]["last"], ",iisff 1000 -1 \"hello\" 1.234 5.678");
    EXPECT_DOUBLE_EQ(s["addresses"]["/bpm"]["age"].get<double>(), 0.5);
    EXPECT_DOUBLE_EQ(s["addresses"]["/bpm"]["last_seen"].get<double>(),
                     std::chrono::duration<double>(w0.time_since_epoch()).count());
    EXPECT_DOUBLE_EQ(s["uptime"].get<double>(), 0.5);
}

TEST(Monitor, FilterHidesLinesButEverythingIsCounted) {
    Monitor m(config(0, {"/vj/audio/*", "//beat"}), t0);
    Output out;
    for (const char* address : {"/vj/audio/level", "/vj/video/fade", "/vj/clock/beat", "/other"})
        m.datagram(0, wire(osc::Message{address, {}}), "src", t0, w0, out);
    EXPECT_EQ(out.lines, "now /vj/audio/level ,\nnow /vj/clock/beat ,\n");
    const nlohmann::json s = m.status(t0, w0);
    EXPECT_EQ(s["messages"], 4);
    EXPECT_EQ(s["printed"], 2);
    EXPECT_EQ(s["filtered"], 2);
    EXPECT_EQ(s["addresses"].size(), 4u);
    EXPECT_EQ(s["filters"], nlohmann::json::array({"/vj/audio/*", "//beat"}));
}

TEST(Monitor, LineCapPrintsASummaryOnceASecond) {
    Monitor m(config(3), t0);
    Output out;
    for (int i = 0; i < 10; ++i)
        m.datagram(0, wire(osc::Message{i < 8 ? "/vj/audio/level" : "/vj/beat", {i}}), "src", t0 + i * 10ms, w0, out);
    EXPECT_EQ(out.lines, "now /vj/audio/level ,i 0\nnow /vj/audio/level ,i 1\nnow /vj/audio/level ,i 2\n");
    out.clear();
    m.second(t0 + 500ms, out);
    EXPECT_EQ(out.lines, "");
    m.second(t0 + 1s, out);
    EXPECT_EQ(out.lines, "skipped 7 messages in 1.0s (over 3 lines/s): 5 /vj/audio/level, 2 /vj/beat\n");
    out.clear();
    m.second(t0 + 2s, out);
    EXPECT_EQ(out.lines, "");  // once
    m.datagram(0, wire(osc::Message{"/again", {}}), "src", t0 + 2s, w0, out);
    EXPECT_EQ(out.lines, "now /again ,\n");
    const nlohmann::json s = m.status(t0 + 2s, w0);
    EXPECT_EQ(s["skipped"], 7);
    EXPECT_EQ(s["printed"], 4);
    EXPECT_EQ(s["messages"], 11);
}

TEST(Monitor, SummaryComesBeforeTheFirstLineOfTheNextWindow) {
    Monitor m(config(1), t0);
    Output out;
    m.datagram(0, wire(osc::Message{"/a", {}}), "src", t0, w0, out);
    m.datagram(0, wire(osc::Message{"/b", {}}), "src", t0 + 100ms, w0, out);
    m.datagram(0, wire(osc::Message{"/c", {}}), "src", t0 + 1200ms, w0, out);
    EXPECT_EQ(out.lines, "now /a ,\nskipped 1 messages in 1.2s (over 1 lines/s): 1 /b\nnow /c ,\n");
}

TEST(Monitor, MalformedPacketsAreCountedAndReported) {
    Monitor m(config(), t0);
    Output out;
    const auto bad = raw(std::string("/a\0\0,ix\0\0\0\0\1", 12));
    m.datagram(1, bad, "127.0.0.1:40000", t0, w0, out);
    EXPECT_EQ(out.lines, "");
    ASSERT_EQ(out.warnings.size(), 1u);
    EXPECT_EQ(out.warnings[0],
              "malformed packet (12 bytes) from 127.0.0.1:40000 on 127.0.0.1:9001: unknown type tag 'x' at byte 6: "
              "2f 61 00 00 2c 69 [78] 00 00 00 00 01");
    out.clear();
    // Over five a second, reports are held back and summed up.
    for (int i = 0; i < 9; ++i) m.datagram(0, raw("abc"), "src", t0 + 10ms, w0, out);
    EXPECT_EQ(out.warnings.size(), 4u);
    out.clear();
    m.second(t0 + 1s, out);
    EXPECT_EQ(out.warnings, (std::vector<std::string>{"suppressed 5 more malformed-packet reports in 1.0s"}));
    const nlohmann::json s = m.status(t0 + 1s, w0);
    EXPECT_EQ(s["malformed"], 10);
    EXPECT_EQ(s["packets"], 10);
    EXPECT_EQ(s["messages"], 0);
    EXPECT_EQ(s["listen"][0]["malformed"], 9);
    EXPECT_EQ(s["listen"][1]["malformed"], 1);
}

TEST(Monitor, AddressTableIsBoundedWithAnOtherBucket) {
    Monitor m(config(0, {}, 3), t0);
    Output out;
    for (int i = 0; i < 10; ++i)
        m.datagram(0, wire(osc::Message{"/a" + std::to_string(i % 5), {i}}), "src", t0, w0 + i * 1ms, out);
    const nlohmann::json s = m.status(t0, w0 + 10ms);
    EXPECT_EQ(s["addresses"].size(), 3u);
    EXPECT_EQ(s["address_limit"], 3);
    EXPECT_EQ(s["addresses"]["/a0"]["count"], 2);
    EXPECT_EQ(s["other"]["count"], 4);
    EXPECT_EQ(s["other"]["last_address"], "/a4");
    EXPECT_EQ(s["other"]["last"], ",i 9");
}

TEST(Monitor, OddAddressesAreEscapedInLinesAndStatusKeys) {
    Monitor m(config(), t0);
    Output out;
    m.datagram(0, wire(osc::Message{"/bad\xff name", {std::string("x\ny")}}), "src", t0, w0, out);
    EXPECT_EQ(out.lines, "now /bad\\xff\\x20name ,s \"x\\ny\"\n");
    const nlohmann::json s = m.status(t0, w0);
    EXPECT_TRUE(s["addresses"].contains("/bad\\xff\\x20name"));
    EXPECT_NO_THROW((void)s.dump());
}

TEST(Monitor, LongLinesAreCut) {
    MonitorConfig c = config();
    c.max_line_bytes = 40;
    Monitor m(std::move(c), t0);
    Output out;
    m.datagram(0, wire(osc::Message{"/long", {std::string(300, 'x')}}), "src", t0, w0, out);
    EXPECT_EQ(out.lines, "now /long ,s \"" + std::string(26, 'x') + " ...\n");
    const nlohmann::json s = m.status(t0, w0);
    EXPECT_EQ(s["addresses"]["/long"]["last"].get<std::string>().size(), TrafficStats::max_last_value + 3);
}

TEST(Monitor, RatesCoverTheLastFiveSeconds) {
    Monitor m(config(), t0);
    Output out;
    // 10 messages a second for 8 seconds.
    for (int i = 0; i < 80; ++i) m.datagram(0, wire(osc::Message{"/r", {}}), "src", t0 + i * 100ms, w0, out);
    const nlohmann::json s = m.status(t0 + 8s, w0);
    EXPECT_NEAR(s["rate"].get<double>(), 10.0, 0.5);
    EXPECT_NEAR(s["addresses"]["/r"]["rate"].get<double>(), 10.0, 0.5);
    const nlohmann::json later = m.status(t0 + 20s, w0);
    EXPECT_EQ(later["rate"].get<double>(), 0.0);
}

// ---- RateWindow

TEST(RateWindow, FirstSecondCountsAsOneSecondAndOldBucketsExpire) {
    RateWindow r;
    r.add(0);
    r.add(0);
    EXPECT_DOUBLE_EQ(r.rate(t0, t0 + 100ms), 2.0);
    for (int s = 1; s < 10; ++s) r.add(s);
    EXPECT_NEAR(r.rate(t0, t0 + 9s + 500ms), 5.0 / 4.5, 1e-9);
    EXPECT_DOUBLE_EQ(r.rate(t0, t0 + 30s), 0.0);
    r.add(30);
    EXPECT_NEAR(r.rate(t0, t0 + 30s), 1.0 / 4.0, 1e-9);
}

// ---- LineLimiter

TEST(LineLimiter, ZeroMeansNoCap) {
    LineLimiter l(0);
    for (int i = 0; i < 10000; ++i) EXPECT_TRUE(l.admit("/a", t0));
    EXPECT_FALSE(l.summary(t0 + 5s));
}

TEST(LineLimiter, SummaryNamesTheTopThreeAndCountsTheRest) {
    LineLimiter l(1);
    EXPECT_TRUE(l.admit("/first", t0));
    for (int i = 0; i < 5; ++i) l.admit("/e", t0);
    for (int i = 0; i < 4; ++i) l.admit("/d", t0);
    for (int i = 0; i < 3; ++i) l.admit("/c", t0);
    for (int i = 0; i < 3; ++i) l.admit("/b", t0);
    l.admit("/a", t0);
    EXPECT_FALSE(l.summary(t0 + 999ms));
    EXPECT_EQ(l.summary(t0 + 1s),
              "skipped 16 messages in 1.0s (over 1 lines/s): 5 /e, 4 /d, 3 /b, 2 more addresses (4)");
    EXPECT_EQ(l.skipped_total(), 16u);
}

// ---- Malformed reports

TEST(MalformedReport, HexExcerptAroundTheOffset) {
    const auto bytes = raw("0123456789abcdefghijklmnopqrstuvwxyz");
    EXPECT_EQ(hex_excerpt(bytes, 0, 2), "[30] 31 32 ..");
    EXPECT_EQ(hex_excerpt(bytes, 10, 2), ".. 38 39 [61] 62 63 ..");
    EXPECT_EQ(hex_excerpt(bytes, 35, 2), ".. 78 79 [7a]");
    EXPECT_EQ(hex_excerpt(bytes, 36, 2), ".. 79 7a []");
    EXPECT_EQ(hex_excerpt({}, 0, 2), "[]");
}

// ---- Options

std::variant<MonitorOptions, int> parse(std::vector<std::string> args) {
    args.insert(args.begin(), "vj-osc-monitor");
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    return parse_options(static_cast<int>(argv.size()), argv.data());
}

TEST(MonitorOptions, DefaultsAndRepeatedOptions) {
    auto d = parse({});
    ASSERT_TRUE(std::holds_alternative<MonitorOptions>(d));
    EXPECT_EQ(std::get<MonitorOptions>(d).listen.at(0).text, "127.0.0.1:9000");
    EXPECT_EQ(std::get<MonitorOptions>(d).max_lines_per_second, 200u);

    auto o = parse({"--listen", "127.0.0.1:9000", "--listen", "[::1]:9001", "--filter", "/a/*", "--filter", "//b",
                    "--forward", "127.0.0.1:9100", "--max-lines-per-second", "0", "--status", "/tmp/s.json",
                    "--heartbeat", "/tmp/hb", "--log-level", "debug", "--osc", "127.0.0.1:1"});
    ASSERT_TRUE(std::holds_alternative<MonitorOptions>(o));
    const MonitorOptions& m = std::get<MonitorOptions>(o);
    EXPECT_EQ(m.listen.size(), 2u);
    EXPECT_EQ(m.listen[1].text, "[::1]:9001");
    EXPECT_EQ(m.filters.size(), 2u);
    EXPECT_EQ(m.forward.size(), 1u);
    EXPECT_EQ(m.max_lines_per_second, 0u);
    EXPECT_EQ(m.common.status, "/tmp/s.json");
}

TEST(MonitorOptions, MistakesAreUsageErrors) {
    for (const auto& args : std::vector<std::vector<std::string>>{{"--listen", "nope"},
                                                                    {"--forward", "127.0.0.1:99999"},
                                                                    {"--filter", "/a[b"},
                                                                    {"--filter", "no-slash"},
                                                                    {"--log-level", "loud"},
                                                                    {"--max-lines-per-second", "-1"},
                                                                    {"--max-addresses", "0"},
                                                                    {"--bogus"},
                                                                    {"positional"}}) {
        const auto r = parse(args);
        ASSERT_TRUE(std::holds_alternative<int>(r)) << args[0];
        EXPECT_EQ(std::get<int>(r), exit_usage) << args[0];
    }
    const auto help = parse({"--help"});
    ASSERT_TRUE(std::holds_alternative<int>(help));
    EXPECT_EQ(std::get<int>(help), exit_ok);
}

}  // namespace
}  // namespace vj::osc_monitor
