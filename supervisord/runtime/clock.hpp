// The Clock seam: the only place the shell reads steady time.
#pragma once

#include <chrono>

#include "core/spec.hpp"

namespace vj::runtime {

class Clock {
public:
    virtual ~Clock() = default;
    virtual core::Time now() const = 0;
};

class SteadyClock final : public Clock {
public:
    core::Time now() const override { return std::chrono::steady_clock::now(); }
};

}  // namespace vj::runtime
