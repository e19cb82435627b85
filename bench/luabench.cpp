// The cost of one Lua probe run: LuaScript::run on a shipped script, many times, in-process.
//
//   luabench SCRIPT LUA_DIR ARGS_JSON RUNS
//
// Prints key=value words for bench/run.sh: median_us p99_us min_us first_us (the first run loads and
// compiles the script) verdict message.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <unistd.h>

#include "scripting/lua_script.hpp"

int main(int argc, char** argv) {
    if (argc != 5) {
        std::fprintf(stderr, "usage: luabench SCRIPT LUA_DIR ARGS_JSON RUNS\n");
        return 2;
    }
    using clock = std::chrono::steady_clock;
    vj::scripting::LuaScript script(argv[1], {argv[2]});
    vj::scripting::ProbeContext ctx;
    ctx.service = "bench";
    ctx.instance = "bench";
    ctx.pid = ::getpid();
    ctx.uptime = 100;
    ctx.args_json = argv[3];
    const int runs = std::atoi(argv[4]);
    std::vector<double> us;
    us.reserve(static_cast<std::size_t>(runs));
    vj::scripting::ScriptResult last;
    double first = 0;
    for (int i = 0; i <= runs; ++i) {
        const auto t0 = clock::now();
        last = script.run(ctx, std::chrono::milliseconds(1000));
        const double d = std::chrono::duration<double, std::micro>(clock::now() - t0).count();
        if (i == 0)
            first = d;
        else
            us.push_back(d);
    }
    std::sort(us.begin(), us.end());
    auto at = [&](double q) { return us[static_cast<std::size_t>(q * static_cast<double>(us.size() - 1))]; };
    std::string msg = last.message;
    std::replace(msg.begin(), msg.end(), ' ', '_');
    std::printf("median_us=%.2f p99_us=%.2f min_us=%.2f first_us=%.1f verdict=%d message=%s\n", at(0.5), at(0.99),
                us.front(), first, static_cast<int>(last.verdict), msg.c_str());
    return 0;
}
