// Turns one service's merged settings into a core::ServiceSpec, reporting every bad value.
#include "config/service_reader.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "config/lua_files.hpp"
#include "config/probe_reader.hpp"
#include "config/suggest.hpp"
#include "config/value_parsers.hpp"
#include "config/value_reader.hpp"
#include "os/signal_names.hpp"

namespace vj::config {
namespace {

class ServiceReader {
public:
    ServiceReader(DiagnosticSink& sink, ServiceReadMode mode, const ServiceReadContext& context)
        : read_(sink), sink_(sink), mode_(mode), log_dir_(context.log_dir), lua_path_(context.lua_path) {}

    ServiceRead run(const std::string& name, const Mark& key_where, const ConfigNode& body) {
        ServiceRead out;
        core::ServiceSpec& spec = out.spec;
        spec.name = name;
        spec.where = to_location(key_where);

        if (const ConfigNode* command = body.find("command")) {
            set(spec.argv, read_.argv(*command, "command"));
        } else if (mode_ == ServiceReadMode::service) {
            sink_.add(key_where, fmt::format("missing required key 'command' in service '{}'", name));
        }
        if (const ConfigNode* node = body.find("cwd")) spec.cwd = read_.path(*node, "cwd");
        read_env(body.find("env"), spec);
        if (const ConfigNode* node = body.find("user")) spec.user = read_.string(*node, "user", "a user name or id");
        if (const ConfigNode* node = body.find("group")) spec.group = read_.string(*node, "group", "a group name or id");
        if (const ConfigNode* node = body.find("umask")) spec.umask = read_.octal_mode(*node, "umask");
        if (const ConfigNode* limits = read_.map(body.find("limits"), "limits")) {
            if (const ConfigNode* node = limits->find("nofile")) {
                if (auto v = read_.integer(*node, "limits.nofile", 1, INT64_MAX, "a positive integer"))
                    spec.nofile = static_cast<std::uint64_t>(*v);
            }
            if (const ConfigNode* node = limits->find("memory")) {
                // 0 is "no limit", so that one service can opt out of a limit set in defaults.
                if (const auto size = read_.size(*node, "limits.memory"))
                    spec.memory = *size == 0 ? std::nullopt : std::optional<std::uint64_t>(*size);
            }
            if (const ConfigNode* node = limits->find("memory_interval"))
                set(spec.memory_interval, read_.duration(*node, "limits.memory_interval", min_interval));
        }
        if (const ConfigNode* node = body.find("autostart")) set(spec.autostart, read_.boolean(*node, "autostart"));
        if (const ConfigNode* node = body.find("instances")) {
            if (auto v = read_.integer(*node, "instances", 1, 1000, "an integer from 1 to 1000"))
                spec.instances = static_cast<int>(*v);
        }
        if (const ConfigNode* node = body.find("depends_on")) read_depends_on(*node, out);
        read_restart(read_.map(body.find("restart"), "restart"), spec.restart);
        read_stop(read_.map(body.find("stop"), "stop"), spec.stop);
        read_logs(read_.map(body.find("logs"), "logs"), spec.logs);
        if (mode_ == ServiceReadMode::service) {
            // `health` never comes from defaults (the loader refuses it there).
            if (const ConfigNode* node = body.find("health")) spec.health = read_health(*node, name, lua_path_, sink_);
            attach_health_d(spec);
        }
        read_ready(read_.map(body.find("ready"), "ready"), spec);
        if (const ConfigNode* node = body.find("on_unhealthy")) {
            constexpr std::string_view what = "restart, stop or alert";
            const auto text = read_.string(*node, "on_unhealthy", what);
            if (text == "restart") spec.on_unhealthy = core::OnUnhealthy::restart;
            else if (text == "stop") spec.on_unhealthy = core::OnUnhealthy::stop;
            else if (text == "alert") spec.on_unhealthy = core::OnUnhealthy::alert;
            else if (text) read_.expected(*node, "on_unhealthy", what);
        }
        if (const ConfigNode* node = body.find("alert")) {
            constexpr std::string_view what = "critical, warning or info";
            const auto text = read_.string(*node, "alert", what);
            if (text == "critical") spec.alert = core::AlertSeverity::critical;
            else if (text == "warning") spec.alert = core::AlertSeverity::warning;
            else if (text == "info") spec.alert = core::AlertSeverity::info;
            else if (text) read_.expected(*node, "alert", what);
        }
        return out;
    }

private:
    template <class T>
    static void set(T& target, const std::optional<T>& value) {
        if (value) target = *value;
    }

    /// Lua scripts dropped into health.d/NAME/ of a lua_path directory; a YAML probe of the same
    /// name wins, so a drop-in never silently changes a probe the YAML spells out.
    void attach_health_d(core::ServiceSpec& spec) {
        for (auto& probe : health_d_probes(lua_path_, spec.name)) {
            const bool taken = std::any_of(spec.health.begin(), spec.health.end(),
                                           [&](const core::ProbeSpec& p) { return p.name == probe.name; });
            if (!taken) spec.health.push_back(std::move(probe));
        }
    }

    void read_ready(const ConfigNode* ready, core::ServiceSpec& spec) {
        if (!ready) return;
        const ConfigNode* probe = ready->find("probe");
        const ConfigNode* notify = ready->find("notify");
        if (const ConfigNode* node = ready->find("after")) set(spec.ready.after, read_.duration(*node, "ready.after"));
        bool probe_ok = false;
        if (probe) {
            spec.ready.probe = read_.string(*probe, "ready.probe", "a probe name");
            probe_ok = spec.ready.probe.has_value();
        }
        bool notify_ok = false;
        if (notify) {
            const auto value = read_.boolean(*notify, "ready.notify");
            set(spec.ready.notify, value);
            notify_ok = value.has_value();
        }
        const ConfigNode* watchdog = ready->find("watchdog");
        if (watchdog) {
            if (const auto value = read_.duration(*watchdog, "ready.watchdog", min_interval)) spec.ready.watchdog = *value;
        }
        const ConfigNode* timeout = ready->find("timeout");
        if (timeout) {
            if (timeout->is_scalar() && timeout->text == "never")
                spec.ready.timeout.reset();
            else if (const auto value = read_.duration(*timeout, "ready.timeout", min_interval))
                spec.ready.timeout = *value;
        }
        // Defaults on their own may be completed by a service, so only whole services are checked.
        if (mode_ != ServiceReadMode::service) return;

        // The ways of becoming ready exclude each other; `notify: false` is the absence of one.
        std::vector<const MapEntry*> modes;
        for (const MapEntry& entry : ready->entries) {
            if (ready->find_entry(entry.key) != &entry) continue;  // a repeat, reported by the key check
            if (entry.key == "after" || entry.key == "probe" || (entry.key == "notify" && spec.ready.notify))
                modes.push_back(&entry);
        }
        if (modes.size() > 1)
            sink_.add(modes[1]->key_where, fmt::format("ready.{} and ready.{} cannot both be set: a service becomes "
                                                       "ready in one way only",
                                                       modes[0]->key, modes[1]->key));
        // A `notify` that failed to read is reported already; a watchdog needs it to be true.
        if (watchdog && !spec.ready.notify && !watchdog->expansion_failed && (!notify || notify_ok))
            sink_.add(watchdog->where, "ready.watchdog needs notify: true");
        if (timeout && !spec.ready.notify && !spec.ready.probe && !timeout->expansion_failed && (!notify || notify_ok) &&
            (!probe || probe_ok))
            sink_.add(timeout->where, "ready.timeout needs probe or notify: true (ready.after is a fixed delay)");
        if (probe_ok) check_ready_probe(*probe, spec);
    }

    void check_ready_probe(const ConfigNode& node, const core::ServiceSpec& spec) {
        std::vector<std::string_view> names;
        for (const auto& probe : spec.health)
            if (!probe.name.empty()) names.push_back(probe.name);  // empty: a bad probe, reported already
        if (std::find(names.begin(), names.end(), *spec.ready.probe) != names.end()) return;
        std::string message = names.empty()
                                  ? fmt::format("service '{}' has no probe named '{}' (it has no health probes)",
                                                spec.name, *spec.ready.probe)
                                  : fmt::format("service '{}' has no probe named '{}' (its probes: {})", spec.name,
                                                *spec.ready.probe, fmt::join(names, ", "));
        if (const auto hint = did_you_mean(*spec.ready.probe, names)) message += fmt::format("; did you mean '{}'?", *hint);
        read_.fail(node, "ready.probe", message);
    }

    void read_env(const ConfigNode* node, core::ServiceSpec& spec) {
        const ConfigNode* env = read_.map(node, "env");
        if (!env) return;
        for (const auto& entry : env->entries) {
            if (spec.env.count(entry.key)) continue;  // a repeat, reported by the key check
            const std::string path = fmt::format("env.{}", entry.key);
            if (entry.key.empty() || entry.key.find('=') != std::string::npos) {
                sink_.add(entry.key_where, fmt::format("env: invalid variable name '{}' (no '=' and not empty)", entry.key));
                continue;
            }
            // Numbers and booleans stay exactly as written: "0600" must not become "384".
            if (auto value = read_.string(entry.value, path, "a string", true)) spec.env[entry.key] = std::move(*value);
        }
    }

    void read_depends_on(const ConfigNode& node, ServiceRead& out) {
        constexpr std::string_view what = "a list of service names or one name";
        std::vector<const ConfigNode*> items;
        if (node.is_scalar()) {
            items.push_back(&node);
        } else if (node.is_sequence()) {
            for (const auto& item : node.items) items.push_back(&item);
        } else {
            read_.expected(node, "depends_on", what);
            return;
        }
        for (const ConfigNode* item : items) {
            auto name = read_.string(*item, "depends_on", "a service name");
            if (!name) continue;
            // Saying it twice means the same thing; keep the first, and its position.
            if (std::find(out.spec.depends_on.begin(), out.spec.depends_on.end(), *name) != out.spec.depends_on.end())
                continue;
            out.spec.depends_on.push_back(*name);
            out.depends_on.push_back(DependencyRef{*name, item->where});
        }
    }

    void read_restart(const ConfigNode* restart, core::RestartSpec& spec) {
        if (!restart) return;
        if (const ConfigNode* node = restart->find("policy")) {
            const auto text = read_.string(*node, "restart.policy", "always, on-failure or never");
            if (text == "always") spec.policy = core::RestartPolicy::always;
            else if (text == "on-failure") spec.policy = core::RestartPolicy::on_failure;
            else if (text == "never") spec.policy = core::RestartPolicy::never;
            else if (text) read_.expected(*node, "restart.policy", "always, on-failure or never");
        }
        if (const ConfigNode* node = restart->find("success_codes")) read_success_codes(*node, spec);
        if (const ConfigNode* backoff = read_.map(restart->find("backoff"), "restart.backoff")) read_backoff(*backoff, spec.backoff);
        if (const ConfigNode* node = restart->find("stable_after"))
            set(spec.stable_after, read_.duration(*node, "restart.stable_after"));
        if (const ConfigNode* limit = read_.map(restart->find("limit"), "restart.limit")) read_limit(*limit, spec.limit);
    }

    void read_success_codes(const ConfigNode& node, core::RestartSpec& spec) {
        if (!node.is_sequence()) {
            read_.expected(node, "restart.success_codes", "a list of exit codes (0 to 255)");
            return;
        }
        spec.success_codes.clear();
        for (std::size_t i = 0; i < node.items.size(); ++i) {
            const auto code = read_.integer(node.items[i], fmt::format("restart.success_codes[{}]", i), 0, 255,
                                            "an exit code from 0 to 255");
            if (code) spec.success_codes.push_back(static_cast<int>(*code));
        }
    }

    void read_backoff(const ConfigNode& backoff, core::BackoffSpec& spec) {
        const ConfigNode* initial = backoff.find("initial");
        const ConfigNode* max = backoff.find("max");
        bool initial_ok = true, max_ok = true;
        if (initial) {
            const auto v = read_.duration(*initial, "restart.backoff.initial");
            set(spec.initial, v);
            initial_ok = v.has_value();
        }
        if (const ConfigNode* node = backoff.find("factor")) set(spec.factor, read_.number(*node, "restart.backoff.factor", 1));
        if (max) {
            const auto v = read_.duration(*max, "restart.backoff.max");
            set(spec.max, v);
            max_ok = v.has_value();
        }
        if (const ConfigNode* node = backoff.find("jitter")) set(spec.jitter, read_.fraction(*node, "restart.backoff.jitter"));

        // Defaults on their own may be completed by a service, so only whole services are checked.
        if (mode_ == ServiceReadMode::service && initial_ok && max_ok && spec.max < spec.initial) {
            // Point at `max` when it was written (it is usually the one to raise), else at `initial`.
            if (max)
                read_.fail(*max, "restart.backoff.max",
                           fmt::format("{} is less than restart.backoff.initial ({})", format_duration(spec.max),
                                       format_duration(spec.initial)));
            else if (initial)
                read_.fail(*initial, "restart.backoff.initial",
                           fmt::format("{} is more than restart.backoff.max ({}, the default)",
                                       format_duration(spec.initial), format_duration(spec.max)));
        }
    }

    void read_limit(const ConfigNode& limit, core::RestartLimitSpec& spec) {
        if (const ConfigNode* node = limit.find("attempts")) {
            if (auto v = read_.integer(*node, "restart.limit.attempts", 0, 1'000'000'000, "an integer of at least 0"))
                spec.attempts = static_cast<int>(*v);
        }
        if (const ConfigNode* node = limit.find("window")) {
            const auto window = read_.duration(*node, "restart.limit.window");
            if (window && window->count() == 0) read_.expected(*node, "restart.limit.window", "a duration above 0");
            else set(spec.window, window);
        }
        if (const ConfigNode* node = limit.find("cooloff")) {
            if (node->is_scalar() && node->text == "never") {
                spec.cooloff.reset();
            } else if (node->is_scalar() || node->expansion_failed) {
                if (auto v = read_.duration(*node, "restart.limit.cooloff")) spec.cooloff = *v;
            } else {
                read_.expected(*node, "restart.limit.cooloff", "a duration like 5m or never");
            }
        }
    }

    void read_stop(const ConfigNode* stop, core::StopSpec& spec) {
        if (!stop) return;
        if (const ConfigNode* node = stop->find("signal")) {
            if (const auto name = read_.string(*node, "stop.signal", "a signal name like TERM")) {
                if (const auto signo = os::signal_from_name(*name)) spec.signal = *signo;
                else read_.fail(*node, "stop.signal", fmt::format("unknown signal '{}' (use a name like TERM, SIGINT or a number)", *name));
            }
        }
        if (const ConfigNode* node = stop->find("timeout")) set(spec.timeout, read_.duration(*node, "stop.timeout"));
        if (const ConfigNode* node = stop->find("group")) set(spec.group, read_.boolean(*node, "stop.group"));
    }

    void read_logs(const ConfigNode* logs, core::LogSpec& spec) {
        if (!logs) return;
        if (const ConfigNode* node = logs->find("stdout")) spec.stdout_file = log_path(*node, "logs.stdout");
        bool mode_ok = true;
        if (const ConfigNode* node = logs->find("stderr")) {
            constexpr std::string_view what = "merge, separate or discard";
            const auto text = read_.string(*node, "logs.stderr", what);
            if (text == "merge") spec.stderr_mode = core::StderrMode::merge;
            else if (text == "separate") spec.stderr_mode = core::StderrMode::separate;
            else if (text == "discard") spec.stderr_mode = core::StderrMode::discard;
            else {
                if (text) read_.expected(*node, "logs.stderr", what);
                mode_ok = false;
            }
        }
        if (const ConfigNode* node = logs->find("stderr_file")) {
            spec.stderr_file = log_path(*node, "logs.stderr_file");
            // Defaults on their own may be completed by a service that says `stderr: separate`.
            if (mode_ == ServiceReadMode::service && mode_ok && spec.stderr_file &&
                spec.stderr_mode != core::StderrMode::separate && !node->expansion_failed)
                sink_.add(node->where, "logs.stderr_file needs stderr: separate");
        }
        if (const ConfigNode* node = logs->find("timestamps")) set(spec.timestamps, read_.boolean(*node, "logs.timestamps"));
        if (const ConfigNode* node = logs->find("max_size")) {
            const auto size = read_.size(*node, "logs.max_size");
            if (size && *size != 0 && *size < min_log_size)
                read_.expected(*node, "logs.max_size", "0 (no rotation by size) or a size of at least 4KiB");
            else set(spec.max_size, size);
        }
        if (const ConfigNode* node = logs->find("rotate_every")) {
            const auto every = read_.duration(*node, "logs.rotate_every");
            if (every && every->count() == 0) read_.expected(*node, "logs.rotate_every", "a duration above 0");
            else if (every) spec.rotate_every = *every;
        }
        if (const ConfigNode* node = logs->find("keep")) {
            if (auto v = read_.integer(*node, "logs.keep", 0, 1000, "an integer from 0 to 1000"))
                spec.keep = static_cast<int>(*v);
        }
        if (const ConfigNode* node = logs->find("ring")) {
            const auto size = read_.size(*node, "logs.ring");
            if (size && (*size < min_log_size || *size > max_ring_size))
                read_.expected(*node, "logs.ring", "a size from 4KiB to 64MiB");
            else set(spec.ring, size);
        }
        if (const ConfigNode* node = logs->find("forward")) set(spec.forward, read_.boolean(*node, "logs.forward"));
        if (const ConfigNode* node = logs->find("mode")) set(spec.file_mode, read_.octal_mode(*node, "logs.mode"));
    }

    /// A log file name: relative ones live in log_dir, wherever the yaml file is.
    std::optional<std::string> log_path(const ConfigNode& node, std::string_view path) {
        const auto text = read_.string(node, path, "a file name or path");
        if (!text) return std::nullopt;
        return resolve_path(log_dir_, *text);
    }

    /// The shortest `memory_interval` and `ready.watchdog`: anything faster is busy work.
    static constexpr core::Duration min_interval{100};
    static constexpr std::uint64_t min_log_size = 4ull << 10;
    static constexpr std::uint64_t max_ring_size = 64ull << 20;

    ValueReader read_;
    DiagnosticSink& sink_;
    ServiceReadMode mode_;
    const std::string& log_dir_;
    const std::vector<std::string>& lua_path_;
};

}  // namespace

bool valid_service_name(std::string_view name) {
    const auto word = [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    };
    if (name.empty() || !word(name.front())) return false;
    return std::all_of(name.begin(), name.end(), [&](char c) { return word(c) || c == '.' || c == '-'; });
}

ServiceRead read_service(const std::string& name, const Mark& key_where, const ConfigNode& body,
                         ServiceReadMode mode, const ServiceReadContext& context, DiagnosticSink& sink) {
    return ServiceReader(sink, mode, context).run(name, key_where, body);
}

}  // namespace vj::config
