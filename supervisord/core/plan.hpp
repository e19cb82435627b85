// Decisions over the whole set of services: dependency gating, start closure, shutdown order. Pure.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/spec.hpp"
#include "core/state.hpp"

namespace vj::core {

/// The states of every instance of every service, by service name.
using StateIndex = std::map<std::string, std::vector<State>>;

/// The dependencies of `spec` that are not yet ready (some instance not `running`), in spec order.
/// Empty means the service may start now.
std::vector<std::string> pending_dependencies(const ServiceSpec& spec, const StateIndex& states);

/// `names` plus everything they depend on, transitively (a start pulls its dependencies up).
std::set<std::string> with_dependencies(const std::set<std::string>& names, const std::vector<ServiceSpec>& specs);

/// During shutdown a service may be told to stop only once no service that depends on it still has a
/// live process: reverse dependency order, as parallel as that allows.
bool may_stop_in_shutdown(const std::string& name, const std::vector<ServiceSpec>& specs, const StateIndex& states);

/// "a, b" from {"a", "b"}.
std::string join(const std::vector<std::string>& items, const std::string& sep = ", ");

}  // namespace vj::core
