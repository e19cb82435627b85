// A ProbeExecutor fake: records each run; the test decides its outcome and when it arrives.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "runtime/probe_exec.hpp"

namespace vj::fakes {

class FakeProbes final : public runtime::ProbeExecutor {
public:
    struct Run {
        std::string instance;
        std::string probe;
        std::optional<pid_t> pid;
        runtime::ProbeDone done;
        std::uint64_t token;
    };

    std::uint64_t run(const runtime::ProbeTarget& target, runtime::ProbeDone done) override {
        const auto token = next_++;
        pending.push_back({target.instance, target.probe->name, target.pid, std::move(done), token});
        return token;
    }
    void cancel(std::uint64_t token) override {
        cancelled.push_back(token);
        std::erase_if(pending, [&](const Run& r) { return r.token == token; });
    }

    /// Completes every pending run of `probe` with `verdict`; returns how many there were.
    int answer(const std::string& probe, core::Verdict verdict, const std::string& message = "") {
        std::vector<Run> due;
        std::erase_if(pending, [&](Run& r) {
            if (r.probe != probe) return false;
            due.push_back(std::move(r));
            return true;
        });
        for (auto& r : due) r.done({verdict, message, core::Duration(1)});
        return static_cast<int>(due.size());
    }

    std::vector<Run> pending;
    std::vector<std::uint64_t> cancelled;

private:
    std::uint64_t next_ = 1;
};

}  // namespace vj::fakes
