// Turns one service's merged settings into a core::ServiceSpec, reporting every bad value.
#pragma once

#include <string>
#include <vector>

#include "config/config_node.hpp"
#include "config/diagnostic_sink.hpp"
#include "core/spec.hpp"

namespace vj::config {

/// One `depends_on` entry and where it was written, for the cross-service checks.
struct DependencyRef {
    std::string name;
    Mark where;
};

struct ServiceRead {
    core::ServiceSpec spec;  ///< built-in defaults wherever a value was missing or bad
    std::vector<DependencyRef> depends_on;
};

/// What is being read: a real service, or `defaults` on their own (no command required,
/// no checks between keys, since a service may still override either side).
enum class ServiceReadMode { service, defaults_only };

/// True for names matching [A-Za-z0-9_][A-Za-z0-9_.-]* (instances add ":K", so no ':').
bool valid_service_name(std::string_view name);

/// What a service's values are read against, from the `supervisor` map (both absolute).
struct ServiceReadContext {
    std::string log_dir;                ///< relative `logs` file names are taken from here
    std::vector<std::string> lua_path;  ///< Lua probe scripts are searched here, and health.d/ in each
};

/// Reads `body` (a map, defaults already merged in) of service `name` declared at `key_where`.
/// For a service, the probes of `health` are followed by those found in health.d/NAME/ of each
/// lua_path directory (a file whose probe name a YAML probe already has is skipped), and
/// `ready.probe` must name one of them.
/// Problems go to `sink`; the result is meaningful only when none were reported.
ServiceRead read_service(const std::string& name, const Mark& key_where, const ConfigNode& body,
                         ServiceReadMode mode, const ServiceReadContext& context, DiagnosticSink& sink);

}  // namespace vj::config
