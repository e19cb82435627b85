// Health as the core sees it: probe verdicts, per-probe thresholds, and the instance's combined health.
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "core/spec.hpp"

namespace vj::core {

/// Health of an instance while it runs (DESIGN §4). Orthogonal to State.
enum class Health { unknown, healthy, degraded, unhealthy };

/// What one probe run found. A probe that could not run (timeout, error) is `unhealthy`.
enum class Verdict { healthy, degraded, unhealthy };

std::string_view to_string(Health h);
std::string_view to_string(Verdict v);
std::optional<Health> health_from_string(std::string_view s);

/// One probe's standing: its own health and the run of equal verdicts that led there.
struct ProbeTrack {
    Health health = Health::unknown;
    int failures_in_row = 0;   ///< consecutive `unhealthy` verdicts
    int successes_in_row = 0;  ///< consecutive `healthy` verdicts
    bool operator==(const ProbeTrack&) const = default;
};

/// Applies one verdict under the thresholds (`failures`, `successes` >= 1):
/// - unhealthy: the probe turns unhealthy at the `failures`-th failure in a row;
/// - healthy: it turns healthy at the `successes`-th success in a row;
/// - degraded: it turns degraded at once, and both runs start again.
/// Until a threshold is reached the probe keeps the health it had.
ProbeTrack observe(const ProbeTrack& track, Verdict verdict, int failures, int successes);

/// The instance's health from its probes' healths: the worst of them, in the order
/// unhealthy > degraded > unknown > healthy (so `healthy` needs every probe to have said so).
/// No probes at all: unknown.
Health combine(std::span<const Health> probes);

/// Whether a probe may give a verdict yet: not before `grace` of uptime.
constexpr bool past_grace(const ProbeSpec& probe, Duration uptime) { return uptime >= probe.grace; }

/// What turning unhealthy calls for, on the transition only (staying unhealthy calls for nothing more).
enum class HealthAction { none, restart, stop, alert };
HealthAction on_health_change(Health from, Health to, OnUnhealthy policy);

}  // namespace vj::core
