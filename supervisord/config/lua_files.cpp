// Finding Lua scripts on disk: probe scripts along lua_path, and those dropped into health.d/.
#include "config/lua_files.hpp"

#include <algorithm>
#include <set>
#include <system_error>

#include "config/value_reader.hpp"

namespace vj::config {

namespace fs = std::filesystem;

std::vector<std::string> script_search_dirs(const std::vector<std::string>& lua_path, const fs::path& file_dir) {
    std::vector<std::string> dirs;
    const auto add = [&](const std::string& dir) {
        if (std::find(dirs.begin(), dirs.end(), dir) == dirs.end()) dirs.push_back(dir);
    };
    for (const auto& dir : lua_path) add(dir);
    add(resolve_path(file_dir, "lua"));
    return dirs;
}

bool is_regular_file(const std::string& path) {
    std::error_code ec;
    return fs::is_regular_file(path, ec);
}

std::optional<std::string> find_script(const std::vector<std::string>& dirs, const std::string& name) {
    for (const auto& dir : dirs) {
        const std::string candidate = resolve_path(dir, name);
        if (is_regular_file(candidate)) return candidate;
    }
    return std::nullopt;
}

std::vector<std::string> lua_files_in(const std::string& dir) {
    std::vector<std::string> names;
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    // Missing and unreadable directories count as empty: lua_path entries need not exist.
    for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.starts_with(".") || !name.ends_with(".lua") || name.size() == 4) continue;
        std::error_code type_ec;
        if (it->is_regular_file(type_ec)) names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    return names;
}

std::string lua_probe_name(const std::string& script) {
    std::string stem = fs::path(script).filename().string();
    if (stem.size() > 4 && stem.ends_with(".lua")) stem.resize(stem.size() - 4);
    return "lua:" + stem;
}

std::vector<core::ProbeSpec> health_d_probes(const std::vector<std::string>& lua_path, const std::string& service) {
    std::vector<core::ProbeSpec> out;
    std::set<std::string> names;
    for (const auto& dir : lua_path) {
        const std::string health_d = resolve_path(dir, fs::path("health.d") / service);
        for (const auto& file : lua_files_in(health_d)) {
            core::ProbeSpec probe;
            probe.type = core::ProbeType::lua;
            probe.script = resolve_path(health_d, file);
            probe.name = lua_probe_name(probe.script);
            probe.args_json = "{}";
            probe.where = core::SourceLocation{probe.script, 0, 0};
            // An earlier lua_path directory shadows a later one, as in any search path.
            if (names.insert(probe.name).second) out.push_back(std::move(probe));
        }
    }
    return out;
}

}  // namespace vj::config
