// Turns a service's `health` list into core::ProbeSpecs, reporting every bad probe.
#include "config/probe_reader.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "config/json_text.hpp"
#include "config/lua_files.hpp"
#include "config/schema.hpp"
#include "config/suggest.hpp"
#include "config/value_parsers.hpp"
#include "config/value_reader.hpp"

namespace vj::config {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view type_choices = "heartbeat, command, tcp, http or lua";
constexpr core::Duration min_interval = 100ms;
constexpr core::Duration min_timeout = 10ms;

/// "a tcp probe", "an http probe".
std::string a_probe(core::ProbeType type) {
    return fmt::format("{} {} probe", type == core::ProbeType::http ? "an" : "a", probe_type_name(type));
}

std::optional<core::ProbeType> parse_probe_type(std::string_view text) {
    for (const auto type : {core::ProbeType::heartbeat, core::ProbeType::command, core::ProbeType::tcp,
                            core::ProbeType::http, core::ProbeType::lua})
        if (probe_type_name(type) == text) return type;
    return std::nullopt;
}

class ProbeReader {
public:
    ProbeReader(const std::string& service, const std::vector<std::string>& lua_path, DiagnosticSink& sink)
        : service_(service), lua_path_(lua_path), read_(sink), sink_(sink) {}

    std::vector<core::ProbeSpec> run(const ConfigNode& node) {
        std::vector<core::ProbeSpec> probes;
        if (node.is_null()) return probes;
        if (!node.is_sequence()) {
            read_.expected(node, "health", "a list of probes (maps with a 'type')");
            return probes;
        }
        // Where each probe's name came from, for the message about a repeated one.
        std::vector<Mark> name_marks;
        for (std::size_t i = 0; i < node.items.size(); ++i) {
            const ConfigNode& item = node.items[i];
            const std::string path = fmt::format("health[{}]", i);
            if (!item.is_map()) {
                read_.expected(item, path, "a probe (a map with a 'type')");
                continue;
            }
            const ConfigNode* name = item.find("name");
            probes.push_back(read_probe(item, path));
            name_marks.push_back(name ? name->where : item.where);
        }
        std::map<std::string, std::size_t> first;
        for (std::size_t i = 0; i < probes.size(); ++i) {
            if (probes[i].name.empty()) continue;  // a bad name, already reported
            if (!first.emplace(probes[i].name, i).second)
                sink_.add(name_marks[i], fmt::format("two probes named '{}' in service '{}'; give each a distinct 'name'",
                                                     probes[i].name, service_));
        }
        return probes;
    }

private:
    template <class T>
    static void set(T& target, const std::optional<T>& value) {
        if (value) target = *value;
    }

    std::string where(std::string_view path) const {
        return KeyContext{fmt::format("service '{}'", service_), ""}.where(path);
    }

    core::ProbeSpec read_probe(const ConfigNode& map, const std::string& path) {
        core::ProbeSpec probe;
        probe.where = to_location(map.where);
        const std::optional<core::ProbeType> type = read_type(map, path);
        if (type) probe.type = *type;
        check_probe_keys(map, path, type);

        bool name_ok = true;
        if (const ConfigNode* node = map.find("name")) {
            auto name = read_.string(*node, path + ".name", "a probe name");
            // The implicit probes have these names in `vjctl health` and in messages.
            if (name == "pid" || name == "watchdog") {
                read_.fail(*node, path + ".name",
                           fmt::format("'{}' is the name of the implicit {} probe; choose another", *name, *name));
                name.reset();
            }
            set(probe.name, name);
            name_ok = name.has_value();
        }
        if (const ConfigNode* node = map.find("interval"))
            set(probe.interval, read_.duration(*node, path + ".interval", min_interval));
        if (const ConfigNode* node = map.find("timeout"))
            set(probe.timeout, read_.duration(*node, path + ".timeout", min_timeout));
        if (const ConfigNode* node = map.find("grace")) set(probe.grace, read_.duration(*node, path + ".grace"));
        read_count(map, "failures", path, probe.failures);
        read_count(map, "successes", path, probe.successes);
        if (!type) return probe;

        switch (*type) {
            case core::ProbeType::heartbeat:
                if (const ConfigNode* node = required(map, "path", path, *type))
                    set(probe.path, read_.path(*node, path + ".path"));
                if (const ConfigNode* node = map.find("max_age"))
                    set(probe.max_age, read_.duration(*node, path + ".max_age", 1ms));
                break;
            case core::ProbeType::command:
                if (const ConfigNode* node = required(map, "command", path, *type))
                    set(probe.argv, read_.argv(*node, path + ".command"));
                break;
            case core::ProbeType::tcp:
                if (const ConfigNode* node = map.find("host"))
                    set(probe.host, read_.string(*node, path + ".host", "a host name or address"));
                if (const ConfigNode* node = required(map, "port", path, *type)) {
                    if (auto port = read_.integer(*node, path + ".port", 1, 65535, "a port from 1 to 65535"))
                        probe.port = static_cast<int>(*port);
                }
                break;
            case core::ProbeType::http:
                if (const ConfigNode* node = required(map, "url", path, *type))
                    set(probe.url, read_url(*node, path + ".url"));
                break;
            case core::ProbeType::lua:
                probe.args_json = "{}";
                if (const ConfigNode* node = required(map, "script", path, *type)) {
                    set(probe.script, read_script(*node, path + ".script"));
                    // A script that was not found still names its probe, so that one mistake is one message.
                    if (probe.script.empty() && node->is_scalar()) probe.script = node->text;
                }
                if (const ConfigNode* node = map.find("args")) set(probe.args_json, read_args(*node, path + ".args"));
                break;
        }
        if (!map.find("name") && name_ok) probe.name = default_name(probe);
        return probe;
    }

    std::optional<core::ProbeType> read_type(const ConfigNode& map, const std::string& path) {
        const ConfigNode* node = map.find("type");
        if (!node) {
            sink_.add(map.where, fmt::format("missing required key 'type' {} ({})", where(path), type_choices));
            return std::nullopt;
        }
        const auto text = read_.string(*node, path + ".type", type_choices);
        if (!text) return std::nullopt;
        if (*text == "pid") {
            read_.fail(*node, path + ".type", "the pid probe is implicit; remove it");
            return std::nullopt;
        }
        const auto type = parse_probe_type(*text);
        if (!type) read_.expected(*node, path + ".type", type_choices);
        return type;
    }

    /// Unknown keys, keys of another probe type, and repeated keys.
    void check_probe_keys(const ConfigNode& map, const std::string& path, std::optional<core::ProbeType> type) {
        std::vector<std::string_view> candidates;
        for (const auto& key : probe_keys())
            if (!key.type || !type || key.type == type) candidates.push_back(key.name);
        for (const MapEntry& entry : map.entries) {
            if (report_if_repeated(map, entry, sink_)) continue;
            const auto key = std::find_if(probe_keys().begin(), probe_keys().end(),
                                          [&](const ProbeKey& k) { return k.name == entry.key; });
            if (key == probe_keys().end()) {
                sink_.add(entry.key_where, unknown_key_message(entry.key, where(path), candidates));
            } else if (key->type && type && key->type != type) {
                sink_.add(entry.key_where, fmt::format("'{}' {} is not a key of {} (only {} probes have it)",
                                                       entry.key, where(path), a_probe(*type),
                                                       probe_type_name(*key->type)));
            }
        }
    }

    const ConfigNode* required(const ConfigNode& map, std::string_view key, const std::string& path,
                               core::ProbeType type) {
        const ConfigNode* node = map.find(key);
        if (!node)
            sink_.add(map.where, fmt::format("missing required key '{}' {} ({})", key, where(path), a_probe(type)));
        return node;
    }

    void read_count(const ConfigNode& map, std::string_view key, const std::string& path, int& target) {
        const ConfigNode* node = map.find(key);
        if (!node) return;
        if (auto v = read_.integer(*node, fmt::format("{}.{}", path, key), 1, 1'000'000, "an integer of at least 1"))
            target = static_cast<int>(*v);
    }

    /// "http://HOST[:PORT][/PATH]"; https needs TLS, which supervisord does not carry.
    std::optional<std::string> read_url(const ConfigNode& node, const std::string& path) {
        constexpr std::string_view what = "a URL like http://127.0.0.1:8080/health";
        const auto url = read_.string(node, path, what);
        if (!url) return std::nullopt;
        std::string scheme = url->substr(0, std::min(url->find("://"), url->size()));
        std::transform(scheme.begin(), scheme.end(), scheme.begin(), [](unsigned char c) { return std::tolower(c); });
        if (scheme == "https" && url->find("://") != std::string::npos) {
            read_.fail(node, path, "https is not supported; use a command probe with curl");
            return std::nullopt;
        }
        if (scheme != "http" || url->find("://") == std::string::npos) {
            read_.expected(node, path, what);
            return std::nullopt;
        }
        const std::string rest = url->substr(scheme.size() + 3);
        const std::string authority = rest.substr(0, rest.find_first_of("/?#"));
        std::string host = authority;
        std::optional<std::string> port;
        if (authority.starts_with("[")) {
            // An IPv6 literal: "[::1]:8080".
            const auto close = authority.find(']');
            const std::string after = close == std::string::npos ? std::string() : authority.substr(close + 1);
            if (close == std::string::npos || (!after.empty() && after.front() != ':')) {
                read_.expected(node, path, what);
                return std::nullopt;
            }
            host = authority.substr(0, close + 1);
            if (!after.empty()) port = after.substr(1);
        } else if (const auto colon = authority.find(':'); colon != std::string::npos) {
            host = authority.substr(0, colon);
            port = authority.substr(colon + 1);
        }
        if (authority.find('@') != std::string::npos) {
            read_.fail(node, path, fmt::format("user names in URLs are not supported, got '{}'", *url));
            return std::nullopt;
        }
        if (host.empty() || host == "[]") {
            read_.fail(node, path, fmt::format("expected {}, got '{}' (no host)", what, *url));
            return std::nullopt;
        }
        if (port) {
            const auto value = parse_integer(*port);
            const bool digits = std::all_of(port->begin(), port->end(), [](char c) { return c >= '0' && c <= '9'; });
            if (!digits || !value || *value.value < 1 || *value.value > 65535) {
                read_.fail(node, path, fmt::format("invalid port '{}' in '{}' (use 1 to 65535)", *port, *url));
                return std::nullopt;
            }
        }
        return url;
    }

    std::optional<std::string> read_script(const ConfigNode& node, const std::string& path) {
        const auto name = read_.string(node, path, "a Lua script file name or path");
        if (!name) return std::nullopt;
        const std::filesystem::path& file_dir = node.where.file->dir;
        if (name->find('/') != std::string::npos) {
            const std::string full = resolve_path(file_dir, *name);
            if (is_regular_file(full)) return full;
            read_.fail(node, path, fmt::format("lua script '{}' not found at {}", *name, full));
            return std::nullopt;
        }
        const auto dirs = script_search_dirs(lua_path_, file_dir);
        if (auto found = find_script(dirs, *name)) return found;
        std::vector<std::string> present;
        for (const auto& dir : dirs)
            for (auto& file : lua_files_in(dir)) present.push_back(std::move(file));
        std::string message = fmt::format("lua script '{}' not found in {}", *name, fmt::join(dirs, ", "));
        const std::vector<std::string_view> candidates(present.begin(), present.end());
        if (const auto hint = did_you_mean(*name, candidates)) message += fmt::format("; did you mean '{}'?", *hint);
        read_.fail(node, path, message);
        return std::nullopt;
    }

    std::optional<std::string> read_args(const ConfigNode& node, const std::string& path) {
        if (node.is_null()) return std::string("{}");
        if (!node.is_map()) {
            read_.expected(node, path, "a map");
            return std::nullopt;
        }
        const std::size_t before = sink_.count();
        report_repeats(node);
        if (sink_.count() != before || has_failed_expansion(node)) return std::nullopt;
        return to_json(node);
    }

    /// Repeated keys anywhere inside `node`: JSON objects would silently keep one of them.
    void report_repeats(const ConfigNode& node) {
        for (const auto& entry : node.entries) {
            report_if_repeated(node, entry, sink_);
            report_repeats(entry.value);
        }
        for (const auto& item : node.items) report_repeats(item);
    }

    static bool has_failed_expansion(const ConfigNode& node) {
        if (node.expansion_failed) return true;
        for (const auto& entry : node.entries)
            if (has_failed_expansion(entry.value)) return true;
        return std::any_of(node.items.begin(), node.items.end(), has_failed_expansion);
    }

    static std::string default_name(const core::ProbeSpec& probe) {
        // No script (a mistake already reported): no name either, rather than a clash of "lua:".
        if (probe.type == core::ProbeType::lua) return probe.script.empty() ? std::string() : lua_probe_name(probe.script);
        return std::string(probe_type_name(probe.type));
    }

    const std::string& service_;
    const std::vector<std::string>& lua_path_;
    ValueReader read_;
    DiagnosticSink& sink_;
};

}  // namespace

std::string_view probe_type_name(core::ProbeType type) {
    switch (type) {
        case core::ProbeType::heartbeat: return "heartbeat";
        case core::ProbeType::command: return "command";
        case core::ProbeType::tcp: return "tcp";
        case core::ProbeType::http: return "http";
        case core::ProbeType::lua: return "lua";
    }
    return "unknown";
}

std::vector<core::ProbeSpec> read_health(const ConfigNode& node, const std::string& service,
                                         const std::vector<std::string>& lua_path, DiagnosticSink& sink) {
    return ProbeReader(service, lua_path, sink).run(node);
}

}  // namespace vj::config
