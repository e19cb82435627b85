// Which keys each map of services.yaml accepts, and the check that reports all the others.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config_node.hpp"
#include "config/diagnostic_sink.hpp"
#include "core/spec.hpp"

namespace vj::config {

/// One accepted key. `map` keys have their own keys below; `free_map` keys (env) take any key;
/// `unsupported` keys belong to a later version and are rejected with a message saying so.
struct KeySpec {
    enum class Kind { value, map, free_map, unsupported };
    std::string_view name;
    Kind kind = Kind::value;
    std::vector<KeySpec> children;
};

/// Keys of the main file's top level (supervisor, defaults and services are checked on their own).
const std::vector<KeySpec>& top_level_keys();
/// Keys of the `supervisor` map.
const std::vector<KeySpec>& supervisor_keys();
/// Keys of one service (and, except `command` and `health`, of `defaults`). The keys inside each
/// `health` probe are probe_keys(), checked by the probe reader.
const std::vector<KeySpec>& service_keys();

/// One key of a `health` probe map: common to every probe type (`type` nullopt) or of one type.
struct ProbeKey {
    std::string_view name;
    std::optional<core::ProbeType> type;
};
/// Keys of a probe, common ones first, in the order the man page lists them.
const std::vector<ProbeKey>& probe_keys();

/// Dotted paths of every supported key that holds a value ("restart.backoff.initial", "env"),
/// in schema order. The man page documents exactly these.
std::vector<std::string> value_key_paths(const std::vector<KeySpec>& keys);

/// How a map is named in messages: "at the top level", "in supervisor", "in defaults.restart",
/// "in service 'web'", "in restart.backoff of service 'web'".
struct KeyContext {
    std::string owner;   ///< "service 'web'"; empty for sections
    std::string prefix;  ///< "supervisor", "defaults"; empty at the top level or for a service
    std::string where(std::string_view path) const;
};

/// Reports, into `sink`, every key of `map` (recursively through `map`-kind keys) that is not in
/// `keys`, with a did-you-mean hint; every `unsupported` key; and every key written twice.
/// Values of the wrong type are left to the readers. Does nothing if `map` is not a map.
void check_keys(const ConfigNode& map, const std::vector<KeySpec>& keys, const KeyContext& context,
                DiagnosticSink& sink);

/// Reports `entry` if an earlier entry of `map` has the same key: "key 'K' is set twice (first at
/// FILE:LINE:COL)". True if it did; yaml-cpp accepts such maps silently.
bool report_if_repeated(const ConfigNode& map, const MapEntry& entry, DiagnosticSink& sink);

/// "unknown key 'KEY' WHERE; did you mean 'X'?" with the hint only when one is close.
std::string unknown_key_message(std::string_view key, std::string_view where,
                                const std::vector<std::string_view>& candidates);

/// "'PATH' is not supported yet by this version of supervisord".
std::string unsupported_key_message(std::string_view path);

}  // namespace vj::config
