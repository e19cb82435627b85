// What the monitor has seen: totals, per-listener and per-address counts, rates and last values
// (pure: no I/O, times passed in), and its JSON form for the status file.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "rate_window.hpp"
#include "sdk/osc.hpp"

namespace vj::osc_monitor {

class TrafficStats {
public:
    using Clock = std::chrono::steady_clock;
    using WallClock = std::chrono::system_clock;

    /// The printed form of a last value is cut to this many bytes (then "...").
    static constexpr std::size_t max_last_value = 200;

    /// `listen` names the listeners (as bound, "127.0.0.1:9000") in index order. At most
    /// `max_addresses` distinct addresses get their own entry; messages to any further address
    /// are counted in the "other" bucket, so a flood of distinct addresses cannot grow memory.
    TrafficStats(std::vector<std::string> listen, std::size_t max_addresses, Clock::time_point start);

    /// One datagram of `bytes` bytes on listener `listener` (decoded or not).
    void packet(std::size_t listener, std::size_t bytes);
    /// The datagram just counted by packet() did not decode.
    void malformed(std::size_t listener);
    /// One bundle (nested bundles count one each).
    void bundle();
    /// One message received at `now` / `wall` on `listener`.
    void message(std::size_t listener, const sdk::osc::Message& m, Clock::time_point now, WallClock::time_point wall);
    /// How the message just counted was shown: printed, hidden by --filter, or over the line cap.
    void printed() { ++printed_; }
    void filtered() { ++filtered_; }
    void skipped() { ++skipped_; }

    std::uint64_t packets() const { return packets_; }
    std::uint64_t messages() const { return messages_; }
    std::uint64_t malformed_packets() const { return malformed_; }

    /// The status document (keys in vj-osc-monitor(1), STATUS FILE). Addresses are escaped as
    /// the printer shows them, so the document is valid UTF-8 whatever arrived.
    nlohmann::json to_json(Clock::time_point now, WallClock::time_point wall) const;

private:
    struct Listener {
        std::string name;
        std::uint64_t packets = 0, messages = 0, bytes = 0, malformed = 0;
    };
    struct Address {
        std::uint64_t count = 0;
        RateWindow rate;
        WallClock::time_point last_seen;
        // The last message's arguments, kept as values and printed only when the status is
        // written (once a second), not for every message.
        std::vector<sdk::osc::Value> last_args;
        bool last_has_type_tags = true;
    };

    static nlohmann::json address_json(const Address& a, Clock::time_point start, Clock::time_point now,
                                       WallClock::time_point wall);

    std::vector<Listener> listeners_;
    std::size_t max_addresses_;
    Clock::time_point start_;
    std::unordered_map<std::string, Address> addresses_;
    Address other_;
    std::string other_last_address_;
    RateWindow total_rate_;
    std::uint64_t packets_ = 0, messages_ = 0, bundles_ = 0, malformed_ = 0, bytes_ = 0;
    std::uint64_t printed_ = 0, filtered_ = 0, skipped_ = 0;
};

}  // namespace vj::osc_monitor
