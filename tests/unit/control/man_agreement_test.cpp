// Checks that man/supervisord.8 agrees with the code: transitions, states, error codes and commands.
#include <gtest/gtest.h>

#include "fakes/fake_launcher.hpp"
#include "fakes/fake_responder.hpp"
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "control/protocol.hpp"
#include "core/state.hpp"
#include "runtime/clock.hpp"
#include "runtime/commands.hpp"
#include "runtime/launcher.hpp"
#include "runtime/supervisor.hpp"

namespace vj::test {
namespace {

/// The commands of the control socket. Must follow command_table() in supervisord/runtime/commands.cpp
/// (which is in an anonymous namespace); HardCodedCommandsFollowTheCommandTable checks that it does.
const std::set<std::string> server_commands{"ping", "status", "start", "stop", "restart", "signal", "wait", "health",
                                            "shutdown", "tail"};

std::string read_source_file(const std::string& relative) {
    std::ifstream in(std::string(VJ_SOURCE_DIR) + "/" + relative);
    EXPECT_TRUE(in.good()) << "cannot open " << relative;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

/// The lines after `header` (".Sh TITLE" or ".Ss TITLE") up to the next header of the same level
/// (a section also ends a subsection).
std::vector<std::string> block(const std::vector<std::string>& lines, const std::string& header) {
    const bool section = header.starts_with(".Sh ");
    std::vector<std::string> out;
    bool inside = false;
    for (const auto& line : lines) {
        if (inside && (line.starts_with(".Sh ") || (!section && line.starts_with(".Ss ")))) break;
        if (inside) out.push_back(line);
        if (line == header) inside = true;
    }
    EXPECT_TRUE(inside) << "man/supervisord.8 has no " << header;
    return out;
}

std::vector<std::string> words_of(const std::string& line) {
    std::vector<std::string> words;
    std::istringstream in(line);
    for (std::string w; in >> w;) words.push_back(w);
    return words;
}

/// The first argument of every ".It MACRO ARG" line in `lines`.
std::vector<std::string> item_names(const std::vector<std::string>& lines, const std::string& macro) {
    std::vector<std::string> names;
    const std::string prefix = ".It " + macro + " ";
    for (const auto& line : lines) {
        if (!line.starts_with(prefix)) continue;
        const auto words = words_of(line);
        if (words.size() >= 3) names.push_back(words[2]);
    }
    return names;
}

std::vector<std::string> page_lines() { return split_lines(read_source_file("man/supervisord.8")); }

std::string pair_name(std::string_view from, std::string_view to) {
    return std::string(from) + " -> " + std::string(to);
}

TEST(ManAgreement, TransitionTableIsExactlyTheLegalTransitions) {
    const auto table = block(block(page_lines(), ".Sh SERVICE STATES"), ".Ss Legal transitions");
    std::multiset<std::string> documented;
    for (const auto& line : table) {
        if (!line.starts_with(".It ") || line.starts_with(".It Sy ")) continue;  // Sy: the header row
        // Each row: .It Li FROM Ta Li TO Ta cause
        const auto w = words_of(line);
        const bool row = w.size() >= 7 && w[1] == "Li" && w[3] == "Ta" && w[4] == "Li" && w[6] == "Ta";
        EXPECT_TRUE(row) << "not a transition row: " << line;
        if (row) documented.insert(pair_name(w[2], w[5]));
    }
    std::multiset<std::string> legal;
    for (const auto& [from, to] : core::legal_transitions)
        legal.insert(pair_name(core::to_string(from), core::to_string(to)));
    EXPECT_EQ(documented, legal);
}

TEST(ManAgreement, DocumentsEveryState) {
    const auto states = block(block(page_lines(), ".Sh SERVICE STATES"), ".Ss States");
    const auto names = item_names(states, "Li");
    std::vector<std::string> expected;
    for (const auto s : core::all_states) {
        expected.emplace_back(core::to_string(s));
        EXPECT_EQ(core::state_from_string(core::to_string(s)), s);
    }
    EXPECT_EQ(names, expected);
}

/// The values of control::errc as written in protocol.hpp, so that a code added there is noticed here.
std::set<std::string> error_codes_in_header() {
    const std::string header = read_source_file("supervisord/control/protocol.hpp");
    const auto begin = header.find("namespace errc {");
    const auto end = header.find("}  // namespace errc");
    EXPECT_NE(begin, std::string::npos);
    EXPECT_NE(end, std::string::npos);
    if (begin == std::string::npos || end == std::string::npos) return {};
    const std::string body = header.substr(begin, end - begin);
    const std::regex constant(R"re(std::string_view\s+\w+\s*=\s*"([^"]+)")re");
    std::set<std::string> codes;
    for (auto it = std::sregex_iterator(body.begin(), body.end(), constant); it != std::sregex_iterator(); ++it)
        codes.insert((*it)[1].str());
    return codes;
}

TEST(ManAgreement, ErrorCodesSectionListsExactlyTheErrorCodes) {
    namespace errc = control::errc;
    // Naming each constant keeps this list compiling only while the codes exist.
    const std::set<std::string> known{std::string(errc::bad_request),     std::string(errc::too_large),
                                      std::string(errc::unknown_command), std::string(errc::no_such_service),
                                      std::string(errc::timeout),         std::string(errc::shutting_down),
                                      std::string(errc::failed),          std::string(errc::permission_denied)};
    EXPECT_EQ(error_codes_in_header(), known) << "a code was added to or removed from control::errc";
    const auto names = item_names(block(page_lines(), ".Sh ERROR CODES"), "Li");
    EXPECT_EQ(std::set<std::string>(names.begin(), names.end()), known);
    EXPECT_EQ(names.size(), known.size()) << "a code is listed twice";
}

TEST(ManAgreement, WireProtocolDocumentsExactlyTheCommands) {
    const auto protocol = block(page_lines(), ".Sh WIRE PROTOCOL");
    const auto names = item_names(protocol, "Ic");
    EXPECT_EQ(std::set<std::string>(names.begin(), names.end()), server_commands);
    EXPECT_EQ(names.size(), server_commands.size()) << "a command is listed twice";
}

TEST(ManAgreement, HardCodedCommandsFollowTheCommandTable) {
    const std::string source = read_source_file("supervisord/runtime/commands.cpp");
    const auto begin = source.find("command_table() {");
    const auto end = source.find("return table;", begin);
    ASSERT_NE(begin, std::string::npos);
    ASSERT_NE(end, std::string::npos);
    const std::string body = source.substr(begin, end - begin);
    const std::regex entry(R"re(\{\s*"([a-z_]+)"\s*,)re");
    std::set<std::string> table;
    for (auto it = std::sregex_iterator(body.begin(), body.end(), entry); it != std::sregex_iterator(); ++it)
        table.insert((*it)[1].str());
    EXPECT_EQ(table, server_commands);
}

TEST(ManAgreement, ServerKnowsEveryDocumentedCommand) {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("vj-man-agreement-" + std::to_string(::getpid()));
    core::Config config;
    config.file = (dir / "services.yaml").string();
    config.supervisor.state_dir = (dir / "state").string();
    config.supervisor.log_dir = (dir / "log").string();
    {
        boost::asio::io_context io;
        fakes::FakeClock clock;
        fakes::FakeLauncher launcher;
        runtime::Supervisor supervisor(io, config, clock, launcher);
        const auto code_of = [&](const std::string& cmd) {
            std::string code = "(no reply)";
            control::Request request{1, cmd, nlohmann::json::object()};
            auto responder = std::make_shared<fakes::RecordingResponder>();
            runtime::handle_request(supervisor, request, responder, [] {});
            if (!responder->replies.empty()) {
                const auto* error = std::get_if<control::Error>(&responder->replies.front().body);
                code = error ? error->code : "";
            }
            return code;
        };
        const auto names = item_names(block(page_lines(), ".Sh WIRE PROTOCOL"), "Ic");
        ASSERT_FALSE(names.empty());
        for (const auto& name : names) EXPECT_NE(code_of(name), control::errc::unknown_command) << name;
        EXPECT_EQ(code_of("no-such-command"), control::errc::unknown_command);
    }
    std::filesystem::remove_all(dir);
}

TEST(ManAgreement, StatesTheMaximumRequestSize) {
    const auto protocol = block(page_lines(), ".Sh WIRE PROTOCOL");
    const std::string limit = "at most " + std::to_string(control::max_request_bytes) + " bytes";
    bool found = false;
    for (const auto& line : protocol) found = found || line.find(limit) != std::string::npos;
    EXPECT_TRUE(found) << "WIRE PROTOCOL should say \"" << limit << "\"";
}

}  // namespace
}  // namespace vj::test
