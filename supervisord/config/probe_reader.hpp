// Turns a service's `health` list into core::ProbeSpecs, reporting every bad probe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/config_node.hpp"
#include "config/diagnostic_sink.hpp"
#include "core/spec.hpp"

namespace vj::config {

/// The name of a probe type as written in services.yaml ("heartbeat", "lua").
std::string_view probe_type_name(core::ProbeType type);

/// Reads `node`, the `health` value of service `service` (null: no probes), into probes in list
/// order. Every probe map's keys are checked against its type. Relative `path`s and scripts
/// with a '/' resolve against the file they are written in; a script name without '/' is looked
/// up in `lua_path` (absolute), then in the lua/ directory beside that file, and must exist.
/// Two probes with one name are an error. Problems go to `sink`; the result is meaningful only
/// when none were reported.
std::vector<core::ProbeSpec> read_health(const ConfigNode& node, const std::string& service,
                                         const std::vector<std::string>& lua_path, DiagnosticSink& sink);

}  // namespace vj::config
