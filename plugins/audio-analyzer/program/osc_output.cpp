// Building and sending vj-audio's OSC bundles and event messages, per route of targets.
// Part of vj-audio: GPL-3.0-or-later, because the program links aubio (GPL-3+).
#include "audio-analyzer/program/osc_output.hpp"

#include <algorithm>
#include <cmath>

namespace vj::audio::program {
namespace osc = sdk::osc;

namespace {

osc::Message message(const std::string& address, std::size_t floats) {
    osc::Message m;
    m.address = address;
    m.args.assign(floats, osc::Value(0.0f));
    return m;
}

}  // namespace

OscOutput::OscOutput(OscOutputConfig config, Send send) : send_(std::move(send)), rate_hz_(config.rate_hz) {
    std::vector<const Addresses*> route_addresses;
    for (std::size_t t = 0; t < config.targets.size(); ++t) {
        const Addresses& a = config.targets[t];
        // Targets that want the same addresses share a route, so a packet is encoded once for them.
        const auto same =
            std::find_if(route_addresses.begin(), route_addresses.end(), [&](const Addresses* r) { return *r == a; });
        if (same != route_addresses.end()) {
            routes_[static_cast<std::size_t>(same - route_addresses.begin())].targets.push_back(t);
            continue;
        }
        route_addresses.push_back(&a);
        Route route;
        route.targets.push_back(t);
        for (std::size_t i = 0; i < continuous_count; ++i) {
            if (!a[i]) continue;
            route.slot[i] = route.bundle.elements.size();
            route.bundle.elements.emplace_back(message(*a[i], static_cast<Output>(i) == Output::bands ? band_count : 1));
        }
        if (const auto& addr = a[static_cast<std::size_t>(Output::onset)]) route.onset = message(*addr, 1);
        if (const auto& addr = a[static_cast<std::size_t>(Output::beat)]) {
            route.beat = osc::Message{*addr, {osc::Value(std::int32_t{0})}};
        }
        if (const auto& addr = a[static_cast<std::size_t>(Output::bpm)]) route.bpm = message(*addr, 2);
        routes_.push_back(std::move(route));
    }
    // Packets keep their size (only argument values change): reserve for the largest, so that
    // steady state never grows the buffer.
    std::size_t largest = 0;
    for (const Route& r : routes_) {
        largest = std::max(largest, osc::encoded_size(r.bundle));
        for (const auto* m : {&r.onset, &r.beat, &r.bpm}) {
            if (*m) largest = std::max(largest, osc::encoded_size(**m));
        }
    }
    buffer_.reserve(largest);
}

void OscOutput::send(Route& route, const osc::Message& m) {
    buffer_.clear();
    osc::encode_to(buffer_, m);
    for (const std::size_t t : route.targets) send_(t, buffer_);
}

void OscOutput::send_bundle(Route& route) {
    if (route.bundle.elements.empty()) return;
    buffer_.clear();
    osc::encode_to(buffer_, route.bundle);
    for (const std::size_t t : route.targets) send_(t, buffer_);
}

bool OscOutput::bpm_due(const Frame& f) const {
    if (!(f.bpm > 0)) return false;
    if (!bpm_sent_at_) return true;
    return std::abs(f.bpm - bpm_sent_) >= min_bpm_change ||
           std::abs(f.bpm_confidence - confidence_sent_) >= min_confidence_change || f.time - *bpm_sent_at_ >= bpm_repeat_s;
}

void OscOutput::push(const Frame& f) {
    loudest_ = std::max(loudest_, f.rms);
    if (f.onset) {
        for (Route& r : routes_) {
            if (!r.onset) continue;
            r.onset->args[0] = f.onset_strength;
            send(r, *r.onset);
        }
        ++events_;
    }
    if (f.beat) {
        for (Route& r : routes_) {
            if (!r.beat) continue;
            // An OSC int is 32 bits; at 200 BPM the counter wraps after 20 years of audio.
            r.beat->args[0] = static_cast<std::int32_t>(f.beat_count & 0x7fffffffu);
            send(r, *r.beat);
        }
        ++events_;
    }
    if (bpm_due(f)) {
        for (Route& r : routes_) {
            if (!r.bpm) continue;
            r.bpm->args[0] = f.bpm;
            r.bpm->args[1] = f.bpm_confidence;
            send(r, *r.bpm);
        }
        bpm_sent_at_ = f.time;
        bpm_sent_ = f.bpm;
        confidence_sent_ = f.bpm_confidence;
        ++events_;
    }

    // Bundle k is due once the stream reaches k / rate; after it, the next one is the first grid
    // point past this frame, so a rate above the hop rate sends one per hop, never a backlog.
    if (f.time * rate_hz_ < static_cast<double>(next_bundle_)) return;
    for (Route& r : routes_) {
        auto set = [&r](Output o, auto&& fill) {
            if (const auto slot = r.slot[static_cast<std::size_t>(o)])
                fill(std::get<osc::Message>(r.bundle.elements[*slot]).args);
        };
        set(Output::level, [&](auto& args) { args[0] = loudest_; });
        for (std::size_t b = 0; b < band_count; ++b) {
            set(static_cast<Output>(static_cast<std::size_t>(Output::bass) + b), [&](auto& args) { args[0] = f.bands[b].level; });
        }
        set(Output::bands, [&](auto& args) {
            for (std::size_t b = 0; b < band_count; ++b) args[b] = f.bands[b].level;
        });
        send_bundle(r);
    }
    ++bundles_;
    loudest_ = 0;
    next_bundle_ = static_cast<std::int64_t>(std::floor(f.time * rate_hz_)) + 1;
}

}  // namespace vj::audio::program
