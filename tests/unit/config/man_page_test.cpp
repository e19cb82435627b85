// Checks that man/services.yaml.5 documents exactly the keys the loader accepts, and that its examples load.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "config/loader.hpp"
#include "config/schema.hpp"
#include "unit/config/temp_config_dir.hpp"

namespace vj::config {
namespace {

using ::testing::IsEmpty;

struct ManPage {
    std::map<std::string, std::vector<std::string>> keys_by_subsection;  ///< ".It Cm KEY" under each .Ss
    std::vector<std::string> examples;                                    ///< literal blocks under .Sh EXAMPLES
    std::string text;
};

/// The roff text of a literal line, for YAML: "\e" is a backslash and "\&" is nothing.
std::string unescape(std::string line) {
    std::string out;
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == 'e') {
            out += '\\';
            ++i;
        } else if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == '&') {
            ++i;
        } else {
            out += line[i];
        }
    }
    return out;
}

ManPage read_man_page() {
    std::ifstream in(std::string(VJ_SOURCE_DIR) + "/man/services.yaml.5");
    EXPECT_TRUE(in.good()) << "cannot open man/services.yaml.5";
    ManPage page;
    std::string section, subsection, line;
    bool in_literal = false;
    std::string block;
    while (std::getline(in, line)) {
        page.text += line + "\n";
        if (in_literal) {
            if (line == ".Ed") {
                in_literal = false;
                if (section == "EXAMPLES") page.examples.push_back(block);
            } else {
                block += unescape(line) + "\n";
            }
            continue;
        }
        if (line.rfind(".Sh ", 0) == 0) {
            section = line.substr(4);
            subsection.clear();
        } else if (line.rfind(".Ss ", 0) == 0) {
            subsection = line.substr(4);
        } else if (line.rfind(".Bd -literal", 0) == 0) {
            in_literal = true;
            block.clear();
        } else if (line.rfind(".It Cm ", 0) == 0 && section == "DESCRIPTION") {
            std::istringstream words(line.substr(7));
            std::string key;
            words >> key;
            page.keys_by_subsection[subsection].push_back(key);
        }
    }
    return page;
}

void collect_unsupported(const std::vector<KeySpec>& keys, const std::string& prefix, std::vector<std::string>& out) {
    for (const auto& key : keys) {
        const std::string path = prefix.empty() ? std::string(key.name) : prefix + "." + std::string(key.name);
        if (key.kind == KeySpec::Kind::unsupported) out.push_back(path);
        collect_unsupported(key.children, path, out);
    }
}

TEST(ManPage, DocumentsEverySupervisorKey) {
    EXPECT_EQ(read_man_page().keys_by_subsection["supervisor"], value_key_paths(supervisor_keys()));
}

TEST(ManPage, DocumentsEveryServiceKey) {
    EXPECT_EQ(read_man_page().keys_by_subsection["services"], value_key_paths(service_keys()));
}

TEST(ManPage, DocumentsEveryProbeKey) {
    std::vector<std::string> keys;
    for (const auto& key : probe_keys()) keys.emplace_back(key.name);
    EXPECT_EQ(read_man_page().keys_by_subsection["HEALTH PROBES"], keys);
}

TEST(ManPage, NamesEveryKeyThatIsNotSupportedYet) {
    std::vector<std::string> unsupported;
    collect_unsupported(top_level_keys(), "", unsupported);
    collect_unsupported(supervisor_keys(), "", unsupported);
    collect_unsupported(service_keys(), "", unsupported);
    ASSERT_FALSE(unsupported.empty());
    const std::string text = read_man_page().text;
    for (const auto& key : unsupported) EXPECT_NE(text.find(".Ic " + key), std::string::npos) << key;
}

TEST(ManPage, ExamplesLoadWithoutErrors) {
    const auto page = read_man_page();
    ASSERT_GE(page.examples.size(), 3u);
    for (const auto& example : page.examples) {
        test_support::TempConfigDir dir;
        const auto result = load(dir.write("etc/services.yaml", example), {});
        EXPECT_THAT(test_support::rendered(result), IsEmpty()) << example;
    }
}

}  // namespace
}  // namespace vj::config
