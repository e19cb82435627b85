// The default OSC addresses, --map parsing and the application of its rules.
// Part of vj-audio: GPL-3.0-or-later, because the program links aubio (GPL-3+).
#include "audio-analyzer/program/output_map.hpp"

#include <fmt/format.h>

namespace vj::audio::program {
namespace {

// MapSpec would also take a string (its first member), so the error side is named explicitly.
boost::system::result<MapSpec, std::string> map_error(std::string message) {
    return {boost::system::in_place_error, std::move(message)};
}

}  // namespace

std::optional<Output> output_named(std::string_view name) {
    for (std::size_t i = 0; i < output_count; ++i) {
        if (output_names[i] == name) return static_cast<Output>(i);
    }
    return std::nullopt;
}

Addresses default_addresses(std::string_view prefix) {
    Addresses a;
    for (std::size_t i = 0; i < output_count; ++i) a[i] = fmt::format("{}/{}", prefix, output_names[i]);
    return a;
}

std::optional<std::string> check_address(std::string_view address) {
    if (address.empty() || address.front() != '/') return fmt::format("'{}' does not start with '/'", address);
    for (const char c : address) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7f) return fmt::format("'{}' holds a space or a control character", address);
        if (std::string_view("#*,?[]{}").find(c) != std::string_view::npos) {
            return fmt::format("'{}' holds '{}', which OSC reserves for patterns", address, c);
        }
    }
    return std::nullopt;
}

std::optional<std::string> check_prefix(std::string_view prefix) {
    if (auto e = check_address(prefix)) return e;
    if (prefix.back() == '/') return fmt::format("'{}' ends with '/'", prefix);
    return std::nullopt;
}

boost::system::result<MapSpec, std::string> parse_map(std::string_view text) {
    // Commas separate the items; a bracketed IPv6 target holds colons but never a comma.
    std::vector<std::string_view> items;
    for (std::string_view rest = text;;) {
        const auto comma = rest.find(',');
        items.push_back(rest.substr(0, comma));
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    MapSpec spec;
    spec.target = std::string(items.front());
    if (spec.target.empty()) return map_error(fmt::format("'{}': expected HOST:PORT,NAME=ADDRESS[,NAME=ADDRESS...]", text));
    if (items.size() == 1) return map_error(fmt::format("'{}': no NAME=ADDRESS after the target", text));
    for (std::size_t k = 1; k < items.size(); ++k) {
        const std::string_view item = items[k];
        const auto equals = item.find('=');
        if (equals == std::string_view::npos) {
            return map_error(fmt::format("'{}': expected NAME=ADDRESS or NAME=-, got '{}'", text, item));
        }
        const std::string_view name = item.substr(0, equals);
        const std::string_view address = item.substr(equals + 1);
        MapRule rule;
        if (name != "*") {
            rule.output = output_named(name);
            if (!rule.output) {
                return map_error(fmt::format(
                    "'{}': unknown output '{}' (level, bass, mid, midhigh, high, bands, onset, beat, bpm or *)", text, name));
            }
        }
        if (address != "-") {
            if (!rule.output) return map_error(fmt::format("'{}': '*' can only be dropped ('*=-')", text));
            if (auto e = check_address(address)) return map_error(fmt::format("'{}': {}: {}", text, name, *e));
            rule.address = std::string(address);
        }
        spec.rules.push_back(std::move(rule));
    }
    return spec;
}

boost::system::result<Addresses, std::string> apply_rules(const Addresses& defaults, const std::vector<MapRule>& rules) {
    std::array<bool, output_count> named{};
    bool drop_others = false;
    Addresses out = defaults;
    for (const MapRule& r : rules) {
        if (!r.output) {
            if (drop_others) return std::string("'*' is given twice");
            drop_others = true;
            continue;
        }
        const auto i = static_cast<std::size_t>(*r.output);
        if (named[i]) return fmt::format("{} is mapped twice", output_names[i]);
        named[i] = true;
        out[i] = r.address;
    }
    if (drop_others) {
        for (std::size_t i = 0; i < output_count; ++i) {
            if (!named[i]) out[i].reset();
        }
    }
    return out;
}

}  // namespace vj::audio::program
