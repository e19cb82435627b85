// Which keys each map of services.yaml accepts, and the check that reports all the others.
#include "config/schema.hpp"

#include <fmt/format.h>

#include "config/suggest.hpp"

namespace vj::config {
namespace {

using K = KeySpec::Kind;

std::string join_path(std::string_view prefix, std::string_view key) {
    if (prefix.empty() || key.empty()) return std::string(prefix.empty() ? key : prefix);
    return fmt::format("{}.{}", prefix, key);
}

/// Reports `entry` if an earlier entry of `map` has the same key; yaml-cpp accepts such maps silently.
bool is_repeat(const ConfigNode& map, const MapEntry& entry, DiagnosticSink& sink) {
    const MapEntry* first = map.find_entry(entry.key);
    if (first == &entry) return false;
    sink.add(entry.key_where, fmt::format("key '{}' is set twice (first at {}:{}:{})", entry.key,
                                          first->key_where.file->display, first->key_where.line,
                                          first->key_where.column));
    return true;
}

void check_map(const ConfigNode& map, const std::vector<KeySpec>& keys, const std::string& path,
               const KeyContext& context, DiagnosticSink& sink) {
    std::vector<std::string_view> candidates;
    for (const auto& key : keys)
        if (key.kind != K::unsupported) candidates.push_back(key.name);

    for (const MapEntry& entry : map.entries) {
        if (is_repeat(map, entry, sink)) continue;
        const KeySpec* spec = nullptr;
        for (const auto& key : keys)
            if (key.name == entry.key) spec = &key;
        if (!spec) {
            sink.add(entry.key_where, unknown_key_message(entry.key, context.where(path), candidates));
            continue;
        }
        if (spec->kind == K::unsupported) {
            sink.add(entry.key_where, unsupported_key_message(join_path(path, entry.key)));
            continue;
        }
        if (spec->kind == K::map && entry.value.is_map())
            check_map(entry.value, spec->children, join_path(path, entry.key), context, sink);
        if (spec->kind == K::free_map && entry.value.is_map()) {
            // Free maps (env) take any key, but a key written twice is still a mistake.
            for (const MapEntry& inner : entry.value.entries) is_repeat(entry.value, inner, sink);
        }
    }
}

void collect_paths(const std::vector<KeySpec>& keys, const std::string& prefix, std::vector<std::string>& out) {
    for (const auto& key : keys) {
        if (key.kind == K::unsupported) continue;
        if (key.kind == K::map) collect_paths(key.children, join_path(prefix, key.name), out);
        else out.push_back(join_path(prefix, key.name));
    }
}

}  // namespace

const std::vector<KeySpec>& top_level_keys() {
    static const std::vector<KeySpec> keys{
        {"version", K::value, {}},  {"supervisor", K::value, {}}, {"defaults", K::value, {}},
        {"services", K::value, {}}, {"jobs", K::unsupported, {}},
    };
    return keys;
}

const std::vector<KeySpec>& supervisor_keys() {
    static const std::vector<KeySpec> keys{
        {"socket", K::value, {}},         {"socket_mode", K::value, {}},      {"socket_group", K::value, {}},
        {"state_dir", K::value, {}},      {"log_dir", K::value, {}},          {"log_file", K::value, {}},
        {"include", K::value, {}},        {"shutdown_timeout", K::value, {}}, {"lua_path", K::value, {}},
        {"metrics", K::unsupported, {}},
    };
    return keys;
}

const std::vector<KeySpec>& service_keys() {
    static const std::vector<KeySpec> keys{
        {"command", K::value, {}},
        {"cwd", K::value, {}},
        {"env", K::free_map, {}},
        {"user", K::value, {}},
        {"group", K::value, {}},
        {"umask", K::value, {}},
        {"limits", K::map, {{"nofile", K::value, {}}, {"memory", K::value, {}}, {"memory_interval", K::value, {}}}},
        {"autostart", K::value, {}},
        {"instances", K::value, {}},
        {"depends_on", K::value, {}},
        {"ready",
         K::map,
         {{"after", K::value, {}}, {"probe", K::value, {}}, {"notify", K::value, {}}, {"watchdog", K::value, {}},
          {"timeout", K::value, {}}}},
        {"restart",
         K::map,
         {{"policy", K::value, {}},
          {"success_codes", K::value, {}},
          {"backoff",
           K::map,
           {{"initial", K::value, {}}, {"factor", K::value, {}}, {"max", K::value, {}}, {"jitter", K::value, {}}}},
          {"stable_after", K::value, {}},
          {"limit", K::map, {{"attempts", K::value, {}}, {"window", K::value, {}}, {"cooloff", K::value, {}}}}}},
        {"stop", K::map, {{"signal", K::value, {}}, {"timeout", K::value, {}}, {"group", K::value, {}}}},
        {"logs",
         K::map,
         {{"stdout", K::value, {}},
          {"stderr", K::value, {}},
          {"stderr_file", K::value, {}},
          {"timestamps", K::value, {}},
          {"max_size", K::value, {}},
          {"rotate_every", K::value, {}},
          {"keep", K::value, {}},
          {"ring", K::value, {}},
          {"forward", K::value, {}},
          {"mode", K::value, {}}}},
        // A list of probe maps; their keys are checked by the probe reader, per probe type.
        {"health", K::value, {}},
        {"on_unhealthy", K::value, {}},
        {"alert", K::value, {}},
    };
    return keys;
}

const std::vector<ProbeKey>& probe_keys() {
    using T = core::ProbeType;
    static const std::vector<ProbeKey> keys{
        {"type", std::nullopt},         {"name", std::nullopt},      {"interval", std::nullopt},
        {"timeout", std::nullopt},      {"grace", std::nullopt},     {"failures", std::nullopt},
        {"successes", std::nullopt},    {"path", T::heartbeat},      {"max_age", T::heartbeat},
        {"command", T::command},        {"host", T::tcp},            {"port", T::tcp},
        {"url", T::http},               {"script", T::lua},          {"args", T::lua},
    };
    return keys;
}

std::vector<std::string> value_key_paths(const std::vector<KeySpec>& keys) {
    std::vector<std::string> out;
    collect_paths(keys, "", out);
    return out;
}

std::string KeyContext::where(std::string_view path) const {
    if (!owner.empty()) return path.empty() ? fmt::format("in {}", owner) : fmt::format("in {} of {}", path, owner);
    const std::string full = join_path(prefix, path);
    return full.empty() ? std::string("at the top level") : fmt::format("in {}", full);
}

bool report_if_repeated(const ConfigNode& map, const MapEntry& entry, DiagnosticSink& sink) {
    return is_repeat(map, entry, sink);
}

void check_keys(const ConfigNode& map, const std::vector<KeySpec>& keys, const KeyContext& context,
                DiagnosticSink& sink) {
    if (map.is_map()) check_map(map, keys, "", context, sink);
}

std::string unknown_key_message(std::string_view key, std::string_view where,
                                const std::vector<std::string_view>& candidates) {
    if (const auto hint = did_you_mean(key, candidates))
        return fmt::format("unknown key '{}' {}; did you mean '{}'?", key, where, *hint);
    return fmt::format("unknown key '{}' {}", key, where);
}

std::string unsupported_key_message(std::string_view path) {
    return fmt::format("'{}' is not supported yet by this version of supervisord", path);
}

}  // namespace vj::config
