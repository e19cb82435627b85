// Counting traffic per listener and per address, and the status document.
#include "traffic_stats.hpp"

#include <cmath>

namespace vj::osc_monitor {
namespace {

double seconds(std::chrono::duration<double> d) { return d.count(); }

double unix_seconds(std::chrono::system_clock::time_point t) {
    return std::chrono::duration<double>(t.time_since_epoch()).count();
}

// Rates to two decimals, times to milliseconds: enough for a health check, and the file stays
// readable. Dividing by the scale (not multiplying by 1000) gives the double nearest to the
// decimal, which the JSON writer then prints as just that decimal.
double round_to(double x, double scale) { return std::round(x * scale) / scale; }

// Cuts a printed value to at most `max` bytes without splitting a UTF-8 sequence.
std::string cut(std::string text, std::size_t max) {
    if (text.size() <= max) return text;
    std::size_t end = max;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xc0) == 0x80) --end;
    text.resize(end);
    return text + "...";
}

}  // namespace

TrafficStats::TrafficStats(std::vector<std::string> listen, std::size_t max_addresses, Clock::time_point start)
    : max_addresses_(max_addresses), start_(start) {
    for (std::string& name : listen) listeners_.push_back(Listener{std::move(name)});
}

void TrafficStats::packet(std::size_t listener, std::size_t bytes) {
    ++packets_;
    bytes_ += bytes;
    Listener& l = listeners_.at(listener);
    ++l.packets;
    l.bytes += bytes;
}

void TrafficStats::malformed(std::size_t listener) {
    ++malformed_;
    ++listeners_.at(listener).malformed;
}

void TrafficStats::bundle() { ++bundles_; }

void TrafficStats::message(std::size_t listener, const sdk::osc::Message& m, Clock::time_point now,
                           WallClock::time_point wall) {
    ++messages_;
    ++listeners_.at(listener).messages;
    const std::int64_t second = RateWindow::second_of(start_, now);
    total_rate_.add(second);

    Address* entry = nullptr;
    if (auto it = addresses_.find(m.address); it != addresses_.end()) {
        entry = &it->second;
    } else if (addresses_.size() < max_addresses_) {
        entry = &addresses_[m.address];
    } else {
        entry = &other_;
        other_last_address_ = m.address;
    }
    ++entry->count;
    entry->rate.add(second);
    entry->last_seen = wall;
    entry->last_args = m.args;
    entry->last_has_type_tags = m.has_type_tags;
}

nlohmann::json TrafficStats::address_json(const Address& a, Clock::time_point start, Clock::time_point now,
                                          WallClock::time_point wall) {
    nlohmann::json j;
    j["count"] = a.count;
    j["rate"] = round_to(a.rate.rate(start, now), 100);
    if (a.count == 0) {
        j["last"] = nullptr;
        j["last_seen"] = nullptr;
        j["age"] = nullptr;
        return j;
    }
    sdk::osc::Message last{"/", a.last_args, a.last_has_type_tags};
    // format_message() gives "now / ,TYPES ARGS"; the status shows ",TYPES ARGS" alone.
    const std::string line = sdk::osc::format_message(last);
    j["last"] = cut(line.substr(std::string_view("now / ").size()), max_last_value);
    j["last_seen"] = round_to(unix_seconds(a.last_seen), 1000);
    j["age"] = round_to(std::max(0.0, seconds(wall - a.last_seen)), 1000);
    return j;
}

nlohmann::json TrafficStats::to_json(Clock::time_point now, WallClock::time_point wall) const {
    nlohmann::json j;
    j["time"] = round_to(unix_seconds(wall), 1000);
    j["uptime"] = round_to(seconds(now - start_), 1000);
    j["packets"] = packets_;
    j["messages"] = messages_;
    j["bundles"] = bundles_;
    j["malformed"] = malformed_;
    j["bytes"] = bytes_;
    j["rate"] = round_to(total_rate_.rate(start_, now), 100);
    j["printed"] = printed_;
    j["filtered"] = filtered_;
    j["skipped"] = skipped_;
    nlohmann::json listen = nlohmann::json::array();
    for (const Listener& l : listeners_) {
        listen.push_back({{"address", l.name}, {"packets", l.packets}, {"messages", l.messages}, {"bytes", l.bytes},
                          {"malformed", l.malformed}});
    }
    j["listen"] = std::move(listen);
    nlohmann::json addresses = nlohmann::json::object();
    for (const auto& [address, a] : addresses_) addresses[sdk::osc::format_address(address)] = address_json(a, start_, now, wall);
    j["addresses"] = std::move(addresses);
    j["address_limit"] = max_addresses_;
    nlohmann::json other = address_json(other_, start_, now, wall);
    other["last_address"] = other_.count ? nlohmann::json(sdk::osc::format_address(other_last_address_)) : nlohmann::json();
    j["other"] = std::move(other);
    return j;
}

}  // namespace vj::osc_monitor
