// One instance's status as vjctl reads it: the fields of a status object (supervisord(8)) that vjctl prints.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "huge_pages.hpp"

namespace vj::vjctl {

/// The fields of one status object that `status`, `status --names`, `wait`, `start|stop|restart`
/// and `tail` use. Text fields view into the ReceivedResult that holds them (valid while a copy of
/// it lives) and are empty when the field is missing, null or not a string; numbers are nullopt
/// when missing, null or not of their type (pid and restarts: an integer that fits 64 bits signed).
/// Other fields (goal, since_s, probes, …) are not kept.
struct InstanceStatus {
    std::string_view name;
    std::string_view service;
    std::string_view state;
    std::string_view health;
    std::optional<std::int64_t> pid;
    std::optional<double> uptime_s;
    std::optional<std::int64_t> restarts;
    std::string_view reason;
    std::string_view message;
};

/// The instances of a result: 10,000 of them are ~1.4 MB, in huge pages (huge_pages.hpp).
using InstanceStatuses = std::vector<InstanceStatus, HugePageAllocator<InstanceStatus>>;

}  // namespace vj::vjctl
