// vj-audio(1) against the program: every flag, OSC address, status key and exit status the code
// has is documented, and the page documents no flag the program does not take.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "audio-analyzer/program/audio_options.hpp"
#include "audio-analyzer/program/output_map.hpp"
#include "audio-analyzer/program/status_report.hpp"

namespace vj::audio::program {
namespace {

std::string page() {
    std::ifstream in(VJ_SOURCE_DIR "/plugins/audio-analyzer/vj-audio.1");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

/// The text of section `name` (from ".Sh NAME" to the next ".Sh").
std::string section(const std::string& text, const std::string& name) {
    const auto start = text.find(".Sh " + name + "\n");
    if (start == std::string::npos) return {};
    const auto end = text.find("\n.Sh ", start + 1);
    return text.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

std::set<std::string> matches(const std::string& text, const std::regex& re) {
    std::set<std::string> out;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it) out.insert((*it)[1]);
    return out;
}

TEST(ProgramManPage, OptionsAreTheProgramsFlags) {
    const char* argv[] = {"vj-audio", "--help"};
    const std::string help = parse_options(2, argv).help;
    const auto flags = matches(help, std::regex("(--[a-z][a-z-]+)"));
    // The flags of the list's items (".It Fl -hop Ar n", ".It Fl h , Fl -help").
    std::set<std::string> documented_flags;
    std::istringstream lines(section(page(), "OPTIONS"));
    for (std::string line; std::getline(lines, line);) {
        if (!line.starts_with(".It ")) continue;
        for (const auto& f : matches(line, std::regex("Fl (-[a-z][a-z-]+)"))) documented_flags.insert("-" + f);
    }
    EXPECT_EQ(flags, documented_flags);
    EXPECT_GE(flags.size(), 17u);
}

TEST(ProgramManPage, EveryAddressStatusKeyAndExitStatus) {
    const std::string text = page();
    const std::string osc = section(text, "OSC OUTPUT");
    for (const auto name : output_names)
        EXPECT_NE(osc.find(".It Pa /vj/audio/" + std::string(name) + " Cm "), std::string::npos) << name;
    const std::string status = section(text, "STATUS FILE");
    const nlohmann::json keys = status_json(StatusSnapshot{});
    for (const auto& [key, value] : keys.items()) {
        EXPECT_TRUE(std::regex_search(status, std::regex("Cm " + key + "\\b"))) << key;
        if (value.is_object()) {
            for (const auto& [inner, _] : value.items()) {
                EXPECT_TRUE(std::regex_search(status, std::regex("Cm " + inner + "\\b"))) << key << "." << inner;
            }
        }
    }
    const std::string exits = section(text, "EXIT STATUS");
    for (const int code : {exit_ok, exit_failure, exit_usage}) {
        EXPECT_NE(exits.find(".It " + std::to_string(code) + "\n"), std::string::npos) << code;
    }
    EXPECT_EQ(exits.find(".It 3\n"), std::string::npos);
}

}  // namespace
}  // namespace vj::audio::program
