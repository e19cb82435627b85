// Finding Lua scripts on disk: probe scripts along lua_path, and those dropped into health.d/.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/spec.hpp"

namespace vj::config {

/// The directories a probe's script name without '/' is looked up in, in order: each of
/// `lua_path`, then `file_dir`/lua (the `lua/` beside the file naming it, so that
/// plugins/NAME/service.yaml finds plugins/NAME/lua/x.lua). Absolute, without repeats.
std::vector<std::string> script_search_dirs(const std::vector<std::string>& lua_path,
                                            const std::filesystem::path& file_dir);

/// DIR/`name` for the first of `dirs` where that is a regular file (symlinks followed).
std::optional<std::string> find_script(const std::vector<std::string>& dirs, const std::string& name);

/// True if `path` is a regular file (symlinks followed).
bool is_regular_file(const std::string& path);

/// Names of the *.lua regular files directly in `dir`, sorted; hidden files (".x.lua", editor
/// leftovers) are skipped, as a shell wildcard would. A missing or unreadable directory has none.
std::vector<std::string> lua_files_in(const std::string& dir);

/// The default name of a Lua probe: "lua:STEM", STEM the file name without ".lua".
std::string lua_probe_name(const std::string& script);

/// The probes attached to `service` without YAML: for each directory D of `lua_path` in order,
/// each D/health.d/SERVICE/*.lua (per lua_files_in), as a Lua probe with default settings,
/// named lua_probe_name, `where` the file with line 0. A name met twice keeps its first file.
std::vector<core::ProbeSpec> health_d_probes(const std::vector<std::string>& lua_path, const std::string& service);

}  // namespace vj::config
