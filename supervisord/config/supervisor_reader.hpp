// Turns the `supervisor` map of the main file into a core::SupervisorSpec and include patterns.
#pragma once

#include <string>
#include <vector>

#include "config/config_node.hpp"
#include "config/diagnostic_sink.hpp"
#include "config/loader.hpp"
#include "core/spec.hpp"

namespace vj::config {

/// One `include` pattern as written (after expansion) and where.
struct IncludePattern {
    std::string pattern;
    Mark where;
};

struct SupervisorRead {
    core::SupervisorSpec spec;  ///< defaults wherever a value was missing or bad
    std::vector<IncludePattern> includes;
};

/// Reads `node` (the `supervisor` value, or nullptr when absent) of `main_file`. Defaults:
/// socket default_socket_path(env), state_dir and log_dir ../var/lib and ../var/log from the
/// main file's directory, lua_path [../lua] from there. Problems go to `sink`.
SupervisorRead read_supervisor(const ConfigNode* node, const SourceFile& main_file, const Environment& env,
                               DiagnosticSink& sink);

}  // namespace vj::config
