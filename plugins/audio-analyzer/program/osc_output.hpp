// Turns analyzer frames into vj-audio's OSC traffic: one bundle of continuous values per frame
// period of stream time, and onset, beat and bpm events as messages of their own, with each
// target's addresses. Pure: packets go to a send function; time is the frame's stream time.
// Part of vj-audio: GPL-3.0-or-later, because the program links aubio (GPL-3+).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "audio-analyzer/frame.hpp"
#include "audio-analyzer/program/output_map.hpp"
#include "sdk/osc.hpp"

namespace vj::audio::program {

struct OscOutputConfig {
    /// Continuous bundles per second of stream time (not wall time, so --fast output is the same
    /// packets as a real-time run). At most one per hop: above the hop rate, every hop sends one.
    double rate_hz = 60.0;
    /// One entry per target (the --osc order): where each output goes for it.
    std::vector<Addresses> targets;
};

/// How the bpm event decides to speak: a change of at least min_bpm_change or
/// min_confidence_change, and at least every repeat_s of stream time while the tempo is known.
inline constexpr float min_bpm_change = 0.1f;
inline constexpr float min_confidence_change = 0.05f;
inline constexpr double bpm_repeat_s = 1.0;

class OscOutput {
public:
    /// Sends `packet` to target `index` (an index into OscOutputConfig::targets). The span is
    /// valid during the call only.
    using Send = std::function<void(std::size_t index, std::span<const std::byte> packet)>;

    /// Targets with the same addresses share one encoding. Precondition: rate_hz > 0.
    OscOutput(OscOutputConfig config, Send send);

    /// Sends what `frame` (the analyzer's latest) calls for, in this order: PREFIX/onset f strength
    /// if an onset was decided on this hop, PREFIX/beat i count on a beat, PREFIX/bpm f bpm f
    /// confidence when the tempo is known and changed enough or a second passed, then the bundle
    /// (timetag "immediately") of level, bass, mid, midhigh, high and bands when one is due: level
    /// is the loudest hop's RMS since the previous bundle, the bands are this frame's (already
    /// smoothed by the analyzer). Allocates nothing once the first of each packet was encoded.
    void push(const Frame& frame);

    std::uint64_t bundles() const { return bundles_; }   ///< continuous bundles sent (per route, once)
    std::uint64_t events() const { return events_; }     ///< event messages sent (per route, once)

private:
    static constexpr std::size_t continuous_count = 6;   // level … bands, the first Outputs

    struct Route {
        std::vector<std::size_t> targets;
        sdk::osc::Bundle bundle;
        /// Where each continuous output sits in bundle.elements, if it is sent.
        std::array<std::optional<std::size_t>, continuous_count> slot{};
        std::optional<sdk::osc::Message> onset, beat, bpm;
    };

    void send(Route& route, const sdk::osc::Message& message);
    void send_bundle(Route& route);
    bool bpm_due(const Frame& frame) const;

    Send send_;
    double rate_hz_;
    std::vector<Route> routes_;
    std::vector<std::byte> buffer_;
    std::int64_t next_bundle_ = 0;      // the bundle grid: bundle k is due at stream time k / rate
    float loudest_ = 0;                 // the loudest hop's RMS since the last bundle
    std::optional<double> bpm_sent_at_; // stream time of the last bpm event
    float bpm_sent_ = 0;
    float confidence_sent_ = 0;
    std::uint64_t bundles_ = 0;
    std::uint64_t events_ = 0;
};

}  // namespace vj::audio::program
