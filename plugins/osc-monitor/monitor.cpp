// Per-datagram decisions of the OSC monitor.
#include "monitor.hpp"

#include <algorithm>

namespace vj::osc_monitor {

namespace osc = sdk::osc;

Monitor::Monitor(MonitorConfig config, Clock::time_point start)
    : config_(std::move(config)), stats_(config_.listen, config_.max_addresses, start),
      limiter_(config_.max_lines_per_second) {}

bool Monitor::wanted(const std::string& address) const {
    if (config_.filters.empty()) return true;
    return std::any_of(config_.filters.begin(), config_.filters.end(),
                       [&](const osc::AddressPattern& p) { return p.matches(address); });
}

void Monitor::print(std::string line, Output& out) {
    // A line longer than the cap is cut (on a UTF-8 boundary), so that one huge string
    // argument cannot turn into a 64 KiB log line.
    if (line.size() > config_.max_line_bytes) {
        std::size_t end = config_.max_line_bytes;
        while (end > 0 && (static_cast<unsigned char>(line[end]) & 0xc0) == 0x80) --end;
        line.resize(end);
        line += " ...";
    }
    out.lines += line;
    out.lines += '\n';
}

void Monitor::datagram(std::size_t listener, std::span<const std::byte> bytes, std::string_view source,
                       Clock::time_point now, WallClock::time_point wall, Output& out) {
    stats_.packet(listener, bytes.size());
    const auto packet = osc::decode(bytes);
    if (!packet) {
        stats_.malformed(listener);
        if (auto s = reporter_.summary(now)) out.warnings.push_back(std::move(*s));
        if (auto r = reporter_.report(bytes, packet.error(), source, config_.listen.at(listener), now))
            out.warnings.push_back(std::move(*r));
        return;
    }
    const auto count_bundles = [&](const auto& self, const osc::Packet& p) -> void {
        if (const auto* b = std::get_if<osc::Bundle>(&p)) {
            stats_.bundle();
            for (const osc::Packet& e : b->elements) self(self, e);
        }
    };
    count_bundles(count_bundles, *packet);
    osc::for_each_message(*packet, [&](const osc::Message& m, std::optional<osc::TimeTag> time) {
        stats_.message(listener, m, now, wall);
        if (!wanted(m.address)) {
            stats_.filtered();
            return;
        }
        if (auto s = limiter_.summary(now)) print(std::move(*s), out);
        if (!limiter_.admit(m.address, now)) {
            stats_.skipped();
            return;
        }
        stats_.printed();
        print(osc::format_message(m, time), out);
    });
}

void Monitor::second(Clock::time_point now, Output& out) {
    if (auto s = limiter_.summary(now)) print(std::move(*s), out);
    if (auto s = reporter_.summary(now)) out.warnings.push_back(std::move(*s));
}

nlohmann::json Monitor::status(Clock::time_point now, WallClock::time_point wall) const {
    nlohmann::json j = stats_.to_json(now, wall);
    j["max_lines_per_second"] = config_.max_lines_per_second;
    nlohmann::json filters = nlohmann::json::array();
    for (const osc::AddressPattern& p : config_.filters) filters.push_back(p.text());
    j["filters"] = std::move(filters);
    return j;
}

}  // namespace vj::osc_monitor
