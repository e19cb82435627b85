// Loads services.yaml (with its includes) into validated specs, or the complete list of diagnostics.
#include "config/loader.hpp"

#include <unistd.h>  // environ: the standard library has no way to list the environment

#include <deque>
#include <exception>
#include <map>
#include <set>
#include <system_error>

#include <fmt/format.h>

#include "config/config_node.hpp"
#include "config/dependency_check.hpp"
#include "config/diagnostic_sink.hpp"
#include "config/glob.hpp"
#include "config/schema.hpp"
#include "config/service_reader.hpp"
#include "config/supervisor_reader.hpp"
#include "config/value_reader.hpp"
#include "config/yaml_reader.hpp"

namespace vj::config {
namespace {

namespace fs = std::filesystem;

/// A service as declared, before defaults are merged in.
struct Declared {
    std::string name;
    Mark key_where;
    const ConfigNode* body;
};

std::string at(const Mark& m) { return fmt::format("{}:{}:{}", m.file->display, m.line, m.column); }

class Loader {
public:
    explicit Loader(const Environment& env) : env_(env) {}

    LoadResult run(const fs::path& file) {
        const SourceFile& main = add_file(file);
        try {
            load_everything(main);
        } catch (const std::exception& e) {
            // Only resource exhaustion or a broken cwd gets here; it must still not escape load().
            sink_.add(Mark{&main, 0, 0}, fmt::format("internal error while loading: {}", e.what()));
        }
        LoadResult result;
        result.diagnostics = sink_.sorted();
        if (result.diagnostics.empty()) result.config = std::move(config_);
        return result;
    }

private:
    const SourceFile& add_file(const fs::path& display) {
        SourceFile file;
        file.display = display.string();
        file.dir = fs::absolute(display).lexically_normal().parent_path();
        file.order = static_cast<int>(files_.size());
        return files_.emplace_back(std::move(file));
    }

    void load_everything(const SourceFile& main) {
        config_.file = resolve_path(fs::current_path(), main.display);
        seen_files_.insert(identity(main.display));

        auto root = read_config_file(main, env_, sink_);
        if (!root) return;
        trees_.push_back(std::move(*root));
        const ConfigNode& top = trees_.back();
        if (!top.is_map() && !top.is_null()) {
            sink_.add(top.where, fmt::format("expected a map with 'version' and 'services' at the top level, got {}",
                                             describe(top)));
            return;
        }

        check_keys(top, top_level_keys(), KeyContext{}, sink_);
        check_version(top, true);

        auto supervisor = read_supervisor(top.find("supervisor"), main, env_, sink_);
        if (const ConfigNode* node = top.find("supervisor"); node && node->is_map())
            check_keys(*node, supervisor_keys(), KeyContext{"", "supervisor"}, sink_);
        config_.supervisor = supervisor.spec;

        read_defaults(top.find("defaults"));
        collect_services(top.find("services"));
        for (const auto& include : supervisor.includes) read_include_pattern(include, main);

        std::vector<ServiceRead> reads;
        for (const auto& declared : declared_) {
            const KeyContext context{fmt::format("service '{}'", declared.name), ""};
            check_keys(*declared.body, service_keys(), context, sink_);
            const ConfigNode merged = merge_defaults(*declared.body);
            reads.push_back(read_service(declared.name, declared.key_where, merged, ServiceReadMode::service,
                                         read_context(), sink_));
        }
        check_dependencies(reads, sink_);
        for (auto& read : reads) config_.services.push_back(std::move(read.spec));
    }

    ServiceReadContext read_context() const {
        return ServiceReadContext{config_.supervisor.log_dir, config_.supervisor.lua_path};
    }

    /// `defaults` under `body`, key by key, except `ready`: after, probe and notify are
    /// alternatives, so a service that names one of them replaces the default `ready` whole
    /// (watchdog and timeout included, which belong to it) instead of adding a second way to it.
    ConfigNode merge_defaults(const ConfigNode& body) const {
        const ConfigNode* ready = body.find("ready");
        const bool names_a_way =
            ready && (ready->find("after") || ready->find("probe") || ready->find("notify"));
        if (!names_a_way || !defaults_.find("ready")) return merge(defaults_, body);
        ConfigNode base = defaults_;
        std::erase_if(base.entries, [](const MapEntry& entry) { return entry.key == "ready"; });
        return merge(base, body);
    }

    /// `version` must be 1; in the main file it must be there at all.
    void check_version(const ConfigNode& top, bool required) {
        const ConfigNode* version = top.find("version");
        if (!version) {
            if (required) sink_.add(top.where, "missing required key 'version' (this supervisord reads 'version: 1')");
            return;
        }
        if (version->expansion_failed) return;
        if (!version->is_scalar()) {
            sink_.add(version->where, fmt::format("version: expected 1, got {}", describe(*version)));
        } else if (version->text != "1") {
            sink_.add(version->where,
                      fmt::format("version: unsupported version '{}' (this supervisord reads version 1)", version->text));
        }
    }

    void read_defaults(const ConfigNode* node) {
        ValueReader read(sink_);
        const ConfigNode* defaults = read.map(node, "defaults");
        defaults_.kind = ConfigNode::Kind::map;
        if (!defaults) return;
        defaults_.where = defaults->where;
        for (const auto& entry : defaults->entries) {
            // The command is what makes a service; a shared one would make every service the same.
            if (entry.key == "command") {
                sink_.add(entry.key_where, "'command' cannot be set in defaults: every service needs its own");
                continue;
            }
            // Probes watch one program each (a port, a heartbeat file), and lists do not merge.
            if (entry.key == "health") {
                sink_.add(entry.key_where,
                          "'health' cannot be set in defaults: probes belong to one service (set them in each "
                          "service, or drop Lua scripts into health.d/)");
                continue;
            }
            defaults_.entries.push_back(entry);
        }
        check_keys(defaults_, service_keys(), KeyContext{"", "defaults"}, sink_);
        // Check the values once on their own, so mistakes show even with no services; the same
        // reports from each merged service are then dropped as repeats.
        read_service("defaults", defaults_.where, defaults_, ServiceReadMode::defaults_only, read_context(), sink_);
    }

    void collect_services(const ConfigNode* node) {
        if (!node || node->is_null()) return;
        if (!node->is_map()) {
            sink_.add(node->where, fmt::format("services: expected a map of service names to settings, got {}",
                                               describe(*node)));
            return;
        }
        for (const auto& entry : node->entries) {
            if (!valid_service_name(entry.key)) {
                sink_.add(entry.key_where,
                          fmt::format("invalid service name '{}': use letters, digits, '_', '.' and '-', "
                                      "not starting with '.' or '-'",
                                      entry.key));
            }
            if (const auto first = first_declared_.find(entry.key); first != first_declared_.end()) {
                sink_.add(entry.key_where,
                          fmt::format("service '{}' is already defined at {}", entry.key, at(first->second)));
                continue;
            }
            first_declared_.emplace(entry.key, entry.key_where);
            const ConfigNode* body = &entry.value;
            if (body->is_null()) {
                // "web:" with nothing under it: an empty map, so the message is about the missing command.
                empty_bodies_.push_back(ConfigNode{});
                empty_bodies_.back().kind = ConfigNode::Kind::map;
                empty_bodies_.back().where = entry.key_where;
                body = &empty_bodies_.back();
            } else if (!body->is_map()) {
                sink_.add(body->where, fmt::format("service '{}': expected a map of settings, got {}", entry.key,
                                                   describe(*body)));
                continue;
            }
            declared_.push_back(Declared{entry.key, entry.key_where, body});
        }
    }

    void read_include_pattern(const IncludePattern& include, const SourceFile& main) {
        // Relative to the main file's directory as the user named it, so messages show paths the
        // way the user typed the main file's (relative stays relative, absolute stays absolute).
        const fs::path base = fs::path(main.display).parent_path();
        const fs::path pattern = fs::path(include.pattern).is_absolute()
                                     ? fs::path(include.pattern).lexically_normal()
                                     : (base / include.pattern).lexically_normal();
        std::vector<fs::path> files;
        if (has_wildcards(include.pattern)) {
            // No match is fine: that is how an empty drop-in directory looks.
            files = expand_glob(pattern);
        } else {
            std::error_code ec;
            const auto status = fs::status(pattern, ec);
            if (ec || fs::is_directory(status)) {
                const std::string why = ec ? ec.message() : std::make_error_code(std::errc::is_a_directory).message();
                sink_.add(include.where, fmt::format("cannot include {}: {}", pattern.string(), why));
                return;
            }
            files.push_back(pattern);
        }
        for (const auto& path : files) {
            // A file matched twice, or the main file matched by a wildcard, is read once.
            if (!seen_files_.insert(identity(path)).second) continue;
            read_included_file(add_file(path));
        }
    }

    void read_included_file(const SourceFile& file) {
        auto root = read_config_file(file, env_, sink_);
        if (!root) return;
        trees_.push_back(std::move(*root));
        const ConfigNode& top = trees_.back();
        if (top.is_null()) return;
        if (!top.is_map()) {
            sink_.add(top.where, fmt::format("expected a map with 'services' at the top level, got {}", describe(top)));
            return;
        }
        for (const auto& entry : top.entries) {
            if (const MapEntry* first = top.find_entry(entry.key); first != &entry) {
                sink_.add(entry.key_where,
                          fmt::format("key '{}' is set twice (first at {})", entry.key, at(first->key_where)));
                continue;
            }
            if (entry.key == "version" || entry.key == "services") continue;
            if (entry.key == "jobs") {
                sink_.add(entry.key_where, unsupported_key_message("jobs"));
            } else if (entry.key == "defaults") {
                sink_.add(entry.key_where,
                          "'defaults' is not allowed in an included file: set defaults in the main file");
            } else if (entry.key == "include") {
                sink_.add(entry.key_where, nested_include_message());
            } else if (entry.key == "supervisor") {
                const MapEntry* nested = entry.value.find_entry("include");
                if (nested) sink_.add(nested->key_where, nested_include_message());
                else sink_.add(entry.key_where,
                               "'supervisor' is not allowed in an included file: only 'version' and 'services' are");
            } else {
                sink_.add(entry.key_where, unknown_key_message(entry.key, "at the top level of an included file",
                                                               {"version", "services"}));
            }
        }
        check_version(top, false);
        collect_services(top.find("services"));
    }

    static std::string nested_include_message() {
        return "includes do not nest: 'include' is only allowed in the main file's supervisor map";
    }

    /// The same file however it was named (the main file given as ./x and matched as x).
    static fs::path identity(const fs::path& path) {
        std::error_code ec;
        fs::path canonical = fs::weakly_canonical(fs::absolute(path), ec);
        return ec ? fs::absolute(path).lexically_normal() : canonical;
    }

    const Environment& env_;
    DiagnosticSink sink_;
    std::deque<SourceFile> files_;        // deque: nodes and marks keep pointers to these
    std::deque<ConfigNode> trees_;        // deque: Declared keeps pointers into these
    std::deque<ConfigNode> empty_bodies_;
    std::set<fs::path> seen_files_;
    std::map<std::string, Mark> first_declared_;
    std::vector<Declared> declared_;
    ConfigNode defaults_;
    core::Config config_;
};

}  // namespace

std::string Diagnostic::to_string() const {
    return fmt::format("{}:{}:{}: error: {}", where.file, where.line, where.column, message);
}

Environment process_environment() {
    Environment env;
    for (char** entry = environ; entry && *entry; ++entry) {
        const std::string_view text(*entry);
        const auto eq = text.find('=');
        if (eq == std::string_view::npos) continue;
        env.emplace(std::string(text.substr(0, eq)), std::string(text.substr(eq + 1)));
    }
    return env;
}

std::string default_socket_path(const Environment& env) {
    const auto runtime = env.find("XDG_RUNTIME_DIR");
    // Same rule as ${XDG_RUNTIME_DIR:-/tmp}: set but empty also falls back.
    const std::string base = runtime != env.end() && !runtime->second.empty() ? runtime->second : "/tmp";
    return resolve_path("/", fs::path(base) / "vj" / "supervisord.sock");
}

LoadResult load(const fs::path& file, const Environment& env) {
    try {
        return Loader(env).run(file);
    } catch (const std::exception& e) {
        // Loader::run already catches; this is for failures before it could (bad_alloc building it).
        LoadResult result;
        result.diagnostics.push_back(Diagnostic{core::SourceLocation{file.string(), 0, 0},
                                                fmt::format("internal error while loading: {}", e.what())});
        return result;
    }
}

}  // namespace vj::config
