// Probe thresholds and health combination.
#include "core/health.hpp"

#include <algorithm>
#include <array>

namespace vj::core {
namespace {

constexpr std::array<std::string_view, 4> health_names{"unknown", "healthy", "degraded", "unhealthy"};

/// Severity for combining: higher is worse.
int severity(Health h) {
    switch (h) {
        case Health::healthy: return 0;
        case Health::unknown: return 1;
        case Health::degraded: return 2;
        case Health::unhealthy: return 3;
    }
    return 3;
}

}  // namespace

std::string_view to_string(Health h) { return health_names[static_cast<std::size_t>(h)]; }

std::string_view to_string(Verdict v) {
    switch (v) {
        case Verdict::healthy: return "healthy";
        case Verdict::degraded: return "degraded";
        case Verdict::unhealthy: return "unhealthy";
    }
    return "unhealthy";
}

std::optional<Health> health_from_string(std::string_view s) {
    for (std::size_t i = 0; i < health_names.size(); ++i)
        if (health_names[i] == s) return static_cast<Health>(i);
    return std::nullopt;
}

ProbeTrack observe(const ProbeTrack& track, Verdict verdict, int failures, int successes) {
    ProbeTrack next = track;
    switch (verdict) {
        case Verdict::unhealthy:
            next.successes_in_row = 0;
            ++next.failures_in_row;
            if (next.failures_in_row >= std::max(1, failures)) next.health = Health::unhealthy;
            break;
        case Verdict::healthy:
            next.failures_in_row = 0;
            ++next.successes_in_row;
            if (next.successes_in_row >= std::max(1, successes)) next.health = Health::healthy;
            break;
        case Verdict::degraded:
            next.failures_in_row = 0;
            next.successes_in_row = 0;
            next.health = Health::degraded;
            break;
    }
    return next;
}

Health combine(std::span<const Health> probes) {
    if (probes.empty()) return Health::unknown;
    return *std::max_element(probes.begin(), probes.end(),
                             [](Health a, Health b) { return severity(a) < severity(b); });
}

HealthAction on_health_change(Health from, Health to, OnUnhealthy policy) {
    if (to != Health::unhealthy || from == Health::unhealthy) return HealthAction::none;
    switch (policy) {
        case OnUnhealthy::restart: return HealthAction::restart;
        case OnUnhealthy::stop: return HealthAction::stop;
        case OnUnhealthy::alert: return HealthAction::alert;
    }
    return HealthAction::none;
}

}  // namespace vj::core
