// The Lua examples of man/vj-lua.7 load and run without a Lua error, with the shipped lua/lib.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "script_dir.hpp"
#include "scripting/lua_script.hpp"

namespace vj::scripting {
namespace {

using namespace std::chrono_literals;
using test_support::context_with_args;
using test_support::ScriptDir;

/// The text of every `.Bd -literal` block of the page that is a Lua chunk, with mdoc escapes undone.
std::vector<std::string> lua_examples(const std::string& page) {
    std::ifstream in(page);
    std::vector<std::string> blocks;
    std::string line, block;
    bool inside = false;
    const auto unescape = [](std::string s) {
        using Escape = std::pair<std::string, std::string>;
        for (const auto& [from, to] : {Escape{"\\(dq", "\""}, Escape{"\\e", "\\"}, Escape{"\\&", ""}}) {
            for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
                s.replace(at, from.size(), to);
            }
        }
        return s;
    };
    while (std::getline(in, line)) {
        if (line.starts_with(".Bd -literal")) {
            inside = true;
            block.clear();
        } else if (inside && line == ".Ed") {
            inside = false;
            const bool sketch = block.find("\n  ...\n") != std::string::npos;  // the contract's outline
            if (!sketch && (block.starts_with("--") || block.starts_with("local ") || block.starts_with("return function"))) {
                blocks.push_back(block);
            }
        } else if (inside) {
            block += unescape(line) + "\n";
        }
    }
    return blocks;
}

TEST(ManExamples, LuaExamplesRunWithoutALuaError) {
    const auto examples = lua_examples(VJ_SOURCE_DIR "/man/vj-lua.7");
    ASSERT_GE(examples.size(), 3u);  // the synopsis and the two in EXAMPLES
    ScriptDir dir;
    const std::string status = dir.write("status.json", R"({"level": -20, "state": "live", "viewers": 3, "dropped": 7})");
    for (std::size_t i = 0; i < examples.size(); ++i) {
        SCOPED_TRACE(examples[i]);
        LuaScript script(dir.write("example" + std::to_string(i) + ".lua", examples[i]), {VJ_SOURCE_DIR "/lua"});
        const std::string args = R"({"path": ")" + status + "\"}";
        for (int run = 0; run < 2; ++run) {
            const ScriptResult r = script.run(context_with_args(args), 5s);
            // A Lua error names "exampleN.lua:LINE:"; a bad return "exampleN.lua: returned".
            EXPECT_THAT(r.message, ::testing::Not(::testing::HasSubstr("example" + std::to_string(i) + ".lua")));
        }
    }
}

}  // namespace
}  // namespace vj::scripting
