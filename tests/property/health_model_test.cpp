// Health thresholds over random verdict sequences, against an independent reference of the rules.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <vector>

#include "core/health.hpp"

namespace vj::core {
namespace {

/// The rules written the other way round: look back over the whole history.
Health reference(const std::vector<Verdict>& seq, int failures, int successes) {
    Health h = Health::unknown;
    for (std::size_t i = 0; i < seq.size(); ++i) {
        auto run_of = [&](Verdict v) {
            int n = 0;
            for (std::size_t j = i + 1; j-- > 0 && seq[j] == v;) ++n;
            return n;
        };
        if (seq[i] == Verdict::degraded) h = Health::degraded;
        if (seq[i] == Verdict::unhealthy && run_of(Verdict::unhealthy) >= failures) h = Health::unhealthy;
        if (seq[i] == Verdict::healthy && run_of(Verdict::healthy) >= successes) h = Health::healthy;
    }
    return h;
}

RC_GTEST_PROP(HealthModel, ThresholdsFollowTheRules, ()) {
    const int failures = *rc::gen::inRange(1, 6);
    const int successes = *rc::gen::inRange(1, 6);
    const auto seq = *rc::gen::container<std::vector<Verdict>>(
        rc::gen::element(Verdict::healthy, Verdict::unhealthy, Verdict::degraded));
    ProbeTrack t;
    std::vector<Verdict> seen;
    for (Verdict v : seq) {
        const Health before = t.health;
        t = observe(t, v, failures, successes);
        seen.push_back(v);
        RC_ASSERT(t.health == reference(seen, failures, successes));
        // Fewer than `failures` failures in a row never turn a probe unhealthy.
        if (t.health == Health::unhealthy && before != Health::unhealthy) RC_ASSERT(t.failures_in_row >= failures);
        // A healthy probe needs `successes` in a row to have become so.
        if (t.health == Health::healthy && before != Health::healthy) RC_ASSERT(t.successes_in_row >= successes);
        // Exactly one action per entry into unhealthy.
        const auto act = on_health_change(before, t.health, OnUnhealthy::restart);
        RC_ASSERT((act == HealthAction::restart) == (t.health == Health::unhealthy && before != Health::unhealthy));
    }
}

RC_GTEST_PROP(HealthModel, CombinedHealthIsTheWorstAndHealthyNeedsAll, ()) {
    const auto hs = *rc::gen::container<std::vector<Health>>(
        rc::gen::element(Health::unknown, Health::healthy, Health::degraded, Health::unhealthy));
    const Health c = combine(hs);
    auto has = [&](Health h) { return std::find(hs.begin(), hs.end(), h) != hs.end(); };
    if (has(Health::unhealthy))
        RC_ASSERT(c == Health::unhealthy);
    else if (has(Health::degraded))
        RC_ASSERT(c == Health::degraded);
    else if (has(Health::unknown) || hs.empty())
        RC_ASSERT(c == Health::unknown);
    else
        RC_ASSERT(c == Health::healthy);
}

}  // namespace
}  // namespace vj::core
