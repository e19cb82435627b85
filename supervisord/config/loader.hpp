// Loads services.yaml (with its includes) into validated specs, or the complete list of diagnostics.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/spec.hpp"

namespace vj::config {

/// One problem found in a config file. `to_string()` is "FILE:LINE:COL: error: MESSAGE".
struct Diagnostic {
    core::SourceLocation where;
    std::string message;
    std::string to_string() const;
};

/// Variables that `${VAR}` and `${VAR:-default}` expand from (normally supervisord's environment).
using Environment = std::map<std::string, std::string>;

/// The process environment as an Environment.
Environment process_environment();

struct LoadResult {
    std::optional<core::Config> config;  ///< set exactly when `diagnostics` is empty
    std::vector<Diagnostic> diagnostics;  ///< every problem found, in file order
};

/// The control socket used when `supervisor.socket` is not set:
/// `${XDG_RUNTIME_DIR:-/tmp}/vj/supervisord.sock`, lexically normalised. vjctl uses it too.
std::string default_socket_path(const Environment& env);

/// Reads, expands, merges defaults into and validates `file` and everything it includes.
/// Never throws for bad input: every problem is a Diagnostic naming file:line:column.
LoadResult load(const std::filesystem::path& file, const Environment& env);

}  // namespace vj::config
