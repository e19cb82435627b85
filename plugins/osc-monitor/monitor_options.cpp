// Command-line parsing for vj-osc-monitor (CLI11), with endpoint and pattern validation.
#include "monitor_options.hpp"

#include <iostream>

#include <CLI/CLI.hpp>

namespace vj::osc_monitor {
namespace {

constexpr const char* program = "vj-osc-monitor";

int usage_error(const std::string& message) {
    std::cerr << program << ": error: " << message << "\n";
    return exit_usage;
}

}  // namespace

std::variant<MonitorOptions, int> parse_options(int argc, char** argv) {
    MonitorOptions options;
    std::vector<std::string> listen, forward, filters;

    CLI::App app("Print and count the OSC messages arriving on UDP ports.", program);
    app.add_option("--listen", listen, "receive on HOST:PORT (repeatable; default 127.0.0.1:9000)")
        ->type_name("HOST:PORT")
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    app.add_option("--filter", filters, "print only messages matching this OSC address pattern (repeatable)")
        ->type_name("PATTERN")
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    app.add_option("--forward", forward, "send every datagram received on to HOST:PORT, unchanged (repeatable)")
        ->type_name("HOST:PORT")
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    app.add_option("--max-lines-per-second", options.max_lines_per_second,
                   "print at most N message lines a second, then a summary (0: no cap)")
        ->type_name("N")
        ->capture_default_str();
    app.add_option("--max-addresses", options.max_addresses,
                   "addresses counted one by one in the status file; the rest share 'other'")
        ->type_name("N")
        ->check(CLI::Range(std::size_t{1}, std::size_t{1'000'000}))
        ->capture_default_str();
    app.add_option("--receive-buffer", options.receive_buffer, "socket receive buffer in bytes (SO_RCVBUF)")
        ->type_name("BYTES")
        ->check(CLI::Range(0, 1 << 30))
        ->capture_default_str();
    sdk::add_common_options(app, options.common);

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        return usage_error(e.what());
    }

    if (!sdk::parse_log_level(options.common.log_level))
        return usage_error("--log-level: unknown level '" + options.common.log_level + "' (error, warn, info, debug)");
    if (listen.empty()) listen.push_back("127.0.0.1:9000");
    for (const std::string& text : listen) {
        auto e = sdk::parse_endpoint(text);
        if (!e) return usage_error("--listen: " + e.error());
        options.listen.push_back(std::move(*e));
    }
    for (const std::string& text : forward) {
        auto e = sdk::parse_endpoint(text);
        if (!e) return usage_error("--forward: " + e.error());
        options.forward.push_back(std::move(*e));
    }
    for (const std::string& text : filters) {
        auto p = sdk::osc::AddressPattern::compile(text);
        if (!p) return usage_error("--filter: " + p.error());
        options.filters.push_back(std::move(*p));
    }
    return options;
}

}  // namespace vj::osc_monitor
