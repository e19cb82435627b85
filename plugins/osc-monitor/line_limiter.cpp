// The one-second line window and its "skipped" summary.
#include "line_limiter.hpp"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "sdk/osc.hpp"

namespace vj::osc_monitor {
namespace {

// Per-address counts kept per window for the summary: enough to name the top few senders.
constexpr std::size_t tracked_addresses = 64;
constexpr auto window = std::chrono::seconds(1);

}  // namespace

void LineLimiter::close_window(Clock::time_point now) {
    if (!window_start_ || now - *window_start_ < window) return;
    if (skipped_ > 0) {
        std::vector<std::pair<std::uint64_t, std::string_view>> top;
        for (const auto& [address, n] : skipped_by_address_) top.emplace_back(n, address);
        // Most skipped first; ties by address, so the line is deterministic.
        std::sort(top.begin(), top.end(), [](const auto& a, const auto& b) {
            return a.first != b.first ? a.first > b.first : a.second < b.second;
        });
        char head[128];
        std::snprintf(head, sizeof head, "skipped %llu messages in %.1fs (over %u lines/s): ",
                      static_cast<unsigned long long>(skipped_),
                      std::chrono::duration<double>(now - *window_start_).count(), per_second_);
        std::string line = head;
        std::uint64_t rest = skipped_untracked_;
        std::size_t rest_addresses = skipped_untracked_ ? 1 : 0;
        for (std::size_t i = 0; i < top.size(); ++i) {
            if (i < summary_addresses) {
                if (i) line += ", ";
                line += std::to_string(top[i].first) + " " + sdk::osc::format_address(top[i].second);
            } else {
                rest += top[i].first;
                ++rest_addresses;
            }
        }
        if (rest) {
            line += ", ";
            line += skipped_untracked_ ? "more addresses" : std::to_string(rest_addresses) + " more addresses";
            line += " (" + std::to_string(rest) + ")";
        }
        pending_ = std::move(line);
    }
    window_start_.reset();
    admitted_ = 0;
    skipped_ = 0;
    skipped_by_address_.clear();
    skipped_untracked_ = 0;
}

bool LineLimiter::admit(std::string_view address, Clock::time_point now) {
    if (per_second_ == 0) return true;
    close_window(now);
    if (!window_start_) window_start_ = now;
    if (admitted_ < per_second_) {
        ++admitted_;
        return true;
    }
    ++skipped_;
    ++skipped_total_;
    if (auto it = skipped_by_address_.find(address); it != skipped_by_address_.end()) ++it->second;
    else if (skipped_by_address_.size() < tracked_addresses) skipped_by_address_.emplace(std::string(address), 1);
    else ++skipped_untracked_;
    return false;
}

std::optional<std::string> LineLimiter::summary(Clock::time_point now) {
    close_window(now);
    return std::exchange(pending_, std::nullopt);
}

}  // namespace vj::osc_monitor
