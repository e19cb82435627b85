// Checks that vjctl(1) and the bash completion agree with the code: subcommands and exit statuses.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "cli.hpp"
#include "exit_code.hpp"

namespace vj::vjctl {
namespace {

std::string read_source_file(const std::string& relative) {
    std::ifstream in(std::string(VJ_SOURCE_DIR) + "/" + relative);
    EXPECT_TRUE(in.good()) << relative;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// The lines of an mdoc section, from its .Sh up to the next .Sh.
std::string man_section(const std::string& page, const std::string& title) {
    const auto begin = page.find("\n.Sh " + title + "\n");
    if (begin == std::string::npos) {
        ADD_FAILURE() << "no section " << title;
        return {};
    }
    const auto end = page.find("\n.Sh ", begin + 1);
    return page.substr(begin, end - begin);
}

TEST(ManPage, HasASubsectionPerSubcommandAndNoOthers) {
    const auto commands = man_section(read_source_file("man/vjctl.1"), "COMMANDS");
    std::size_t subsections = 0;
    for (auto at = commands.find("\n.Ss "); at != std::string::npos; at = commands.find("\n.Ss ", at + 1)) {
        ++subsections;
    }
    const auto names = subcommand_names();
    EXPECT_EQ(subsections, names.size());
    for (const auto& name : names) {
        EXPECT_NE(commands.find("\n.Ss " + name + "\n"), std::string::npos) << name;
    }
}

TEST(ManPage, ListsEveryExitStatus) {
    const auto section = man_section(read_source_file("man/vjctl.1"), "EXIT STATUS");
    for (const int status : {exit_code::ok, exit_code::failed, exit_code::usage, exit_code::unreachable,
                             exit_code::not_running}) {
        EXPECT_NE(section.find("\n.It " + std::to_string(status) + "\n"), std::string::npos) << status;
    }
    EXPECT_EQ(section.find("\n.It 5\n"), std::string::npos);
}

TEST(BashCompletion, OffersEverySubcommand) {
    const auto script = read_source_file("etc/completion/vjctl.bash");
    const auto line_at = script.find("_vjctl_commands=\"");
    ASSERT_NE(line_at, std::string::npos);
    const auto begin = line_at + std::string("_vjctl_commands=\"").size();
    std::istringstream listed(script.substr(begin, script.find('"', begin) - begin));
    std::vector<std::string> offered;
    for (std::string word; listed >> word;) {
        offered.push_back(word);
    }
    EXPECT_EQ(offered, subcommand_names());
}

TEST(ZshCompletion, OffersEverySubcommand) {
    const auto script = read_source_file("etc/completion/_vjctl");
    const auto begin = script.find("'1:command:((");
    ASSERT_NE(begin, std::string::npos);
    const auto list = script.substr(begin, script.find("))'", begin) - begin);
    std::vector<std::string> offered;
    // Entries look like  name\:"description"
    for (std::size_t at = list.find("((") + 2; at < list.size();) {
        const auto colon = list.find("\\:", at);
        if (colon == std::string::npos) break;
        offered.push_back(list.substr(at, colon - at));
        const auto end_quote = list.find('"', list.find('"', colon) + 1);
        at = end_quote + 2;
    }
    EXPECT_EQ(offered, subcommand_names());
}

}  // namespace
}  // namespace vj::vjctl
