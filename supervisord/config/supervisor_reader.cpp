// Turns the `supervisor` map of the main file into a core::SupervisorSpec and include patterns.
#include "config/supervisor_reader.hpp"

#include <algorithm>

#include "config/value_reader.hpp"

namespace vj::config {

SupervisorRead read_supervisor(const ConfigNode* node, const SourceFile& main_file, const Environment& env,
                               DiagnosticSink& sink) {
    ValueReader read(sink);
    SupervisorRead out;
    core::SupervisorSpec& spec = out.spec;
    spec.socket = default_socket_path(env);
    spec.state_dir = resolve_path(main_file.dir, "../var/lib");
    spec.log_dir = resolve_path(main_file.dir, "../var/log");
    spec.lua_path = {resolve_path(main_file.dir, "../lua")};

    const ConfigNode* map = read.map(node, "supervisor");
    if (!map) return out;
    const auto set = [](auto& target, const auto& value) {
        if (value) target = *value;
    };
    if (const ConfigNode* v = map->find("socket")) set(spec.socket, read.path(*v, "supervisor.socket"));
    if (const ConfigNode* v = map->find("socket_mode")) set(spec.socket_mode, read.octal_mode(*v, "supervisor.socket_mode"));
    if (const ConfigNode* v = map->find("socket_group"))
        spec.socket_group = read.string(*v, "supervisor.socket_group", "a group name or id");
    if (const ConfigNode* v = map->find("state_dir")) set(spec.state_dir, read.path(*v, "supervisor.state_dir"));
    if (const ConfigNode* v = map->find("log_dir")) set(spec.log_dir, read.path(*v, "supervisor.log_dir"));
    if (const ConfigNode* v = map->find("log_file")) set(spec.log_file, read.boolean(*v, "supervisor.log_file"));
    if (const ConfigNode* v = map->find("shutdown_timeout"))
        set(spec.shutdown_timeout, read.duration(*v, "supervisor.shutdown_timeout"));

    if (const ConfigNode* v = map->find("lua_path")) {
        // Directories that do not exist are fine: a rig without Lua scripts has none.
        spec.lua_path.clear();
        std::vector<const ConfigNode*> items;
        if (v->is_scalar()) {
            items.push_back(v);
        } else if (v->is_sequence()) {
            for (const auto& item : v->items) items.push_back(&item);
        } else {
            read.expected(*v, "supervisor.lua_path", "a directory or a list of them");
        }
        for (const ConfigNode* item : items) {
            auto dir = read.path(*item, "supervisor.lua_path");
            // A directory named twice would attach its health.d scripts twice.
            if (dir && std::find(spec.lua_path.begin(), spec.lua_path.end(), *dir) == spec.lua_path.end())
                spec.lua_path.push_back(std::move(*dir));
        }
    }
    if (const ConfigNode* v = map->find("include")) {
        constexpr std::string_view what = "a file pattern or a list of them";
        std::vector<const ConfigNode*> items;
        if (v->is_scalar()) {
            items.push_back(v);
        } else if (v->is_sequence()) {
            for (const auto& item : v->items) items.push_back(&item);
        } else {
            read.expected(*v, "supervisor.include", what);
        }
        for (const ConfigNode* item : items)
            if (auto pattern = read.string(*item, "supervisor.include", "a file pattern"))
                out.includes.push_back(IncludePattern{std::move(*pattern), item->where});
    }
    return out;
}

}  // namespace vj::config
