// vj-osc-monitor(1) against the code: the status-file keys and the decoder's reasons it lists
// are the ones the program writes.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "monitor.hpp"
#include "sdk/osc.hpp"

namespace vj::osc_monitor {
namespace {

std::string man_page() {
    std::ifstream in(VJ_SOURCE_DIR "/plugins/osc-monitor/vj-osc-monitor.1");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// The text of section `name`, up to the next .Sh.
std::string section(const std::string& page, const std::string& name) {
    const auto start = page.find(".Sh " + name + "\n");
    EXPECT_NE(start, std::string::npos) << name;
    const auto end = page.find("\n.Sh ", start + 1);
    return page.substr(start, end - start);
}

// Every name on the ".It Cm a , b , c" lines of `text`, and the ".Cm x" inside their bodies.
std::set<std::string> documented_keys(const std::string& text) {
    std::set<std::string> keys;
    const std::regex item(R"(^\.It Cm (.*)$)");
    const std::regex inner(R"(^\.Cm ([a-z_]+))");
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        std::smatch m;
        if (std::regex_match(line, m, item)) {
            std::istringstream words(m[1].str());
            for (std::string w; words >> w;)
                if (w != "," && w != "Cm") keys.insert(w);
        } else if (std::regex_search(line, m, inner)) {
            keys.insert(m[1].str());
        }
    }
    return keys;
}

TEST(OscMonitorManPage, EveryStatusKeyIsDocumented) {
    MonitorConfig config;
    config.listen = {"127.0.0.1:9000"};
    Monitor monitor(config, std::chrono::steady_clock::time_point{});
    Output out;
    monitor.datagram(0, sdk::osc::encode(sdk::osc::Message{"/a", {1}}), "src", {}, {}, out);
    nlohmann::json status = monitor.status({}, {});
    // Added by the shell (monitor_app.cpp) around Monitor::status().
    for (const char* key : {"forward", "forwarded", "forward_failed", "output_dropped"}) status[key] = 0;

    const std::set<std::string> documented = documented_keys(section(man_page(), "STATUS FILE"));
    for (const auto& [key, _] : status.items()) EXPECT_TRUE(documented.count(key)) << "status key " << key;
    for (const auto& [key, _] : status["listen"][0].items()) EXPECT_TRUE(documented.count(key)) << "listen." << key;
    for (const auto& [key, _] : status["addresses"]["/a"].items())
        EXPECT_TRUE(documented.count(key)) << "addresses.*." << key;
    for (const auto& [key, _] : status["other"].items()) EXPECT_TRUE(documented.count(key)) << "other." << key;
}

TEST(OscMonitorManPage, EveryDecodeReasonIsListed) {
    const std::string diagnostics = section(man_page(), "DIAGNOSTICS");
    for (int e = 0; e <= static_cast<int>(sdk::osc::DecodeErrc::trailing_bytes); ++e) {
        const auto reason = static_cast<sdk::osc::DecodeErrc>(e);
        std::string text = sdk::osc::DecodeError{reason, 0, 'c'}.message();
        text = text.substr(0, text.rfind(" at byte "));
        if (reason == sdk::osc::DecodeErrc::unknown_type_tag) text = "unknown type tag ' Ns Ar c Ns '";
        const bool listed = diagnostics.find(".Ql " + text + " ,") != std::string::npos ||
                            diagnostics.find(".Ql " + text + " .") != std::string::npos;
        EXPECT_TRUE(listed) << text;
    }
}

TEST(OscMonitorManPage, TheMalformedExampleIsWhatTheMonitorWrites) {
    Monitor monitor(MonitorConfig{{"127.0.0.1:9000"}, {}, 200, 1000, 4096}, std::chrono::steady_clock::time_point{});
    Output out;
    const std::string bad("/a\0\0,ix\0\0\0\0\1", 12);
    std::vector<std::byte> bytes;
    for (char c : bad) bytes.push_back(std::byte(static_cast<unsigned char>(c)));
    monitor.datagram(0, bytes, "127.0.0.1:40000", {}, {}, out);
    ASSERT_EQ(out.warnings.size(), 1u);
    EXPECT_NE(man_page().find("vj-osc-monitor: warning: " + out.warnings[0] + "\n"), std::string::npos)
        << out.warnings[0];
}

}  // namespace
}  // namespace vj::osc_monitor
