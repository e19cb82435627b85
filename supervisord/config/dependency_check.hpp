// Checks between services once every file is read: unknown dependencies and dependency cycles.
#pragma once

#include <vector>

#include "config/diagnostic_sink.hpp"
#include "config/service_reader.hpp"

namespace vj::config {

/// Reports, at the `depends_on` entry concerned: "service 'web' depends on unknown service 'db'"
/// for every unknown name, and "dependency cycle: a -> b -> c -> a" once per cycle found
/// (a self-dependency is "a -> a"). A cycle is named from the service read first and reported
/// at that service's entry naming the next one.
void check_dependencies(const std::vector<ServiceRead>& services, DiagnosticSink& sink);

}  // namespace vj::config
