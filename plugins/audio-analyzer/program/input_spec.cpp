// Parsing and printing of --input specs.
// Part of vj-audio: GPL-3.0-or-later, because the program links aubio (GPL-3+).
#include "audio-analyzer/program/input_spec.hpp"

#include <charconv>
#include <cmath>
#include <optional>
#include <vector>

#include <fmt/format.h>

namespace vj::audio::program {
namespace {

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    for (;;) {
        const auto at = text.find(separator);
        parts.push_back(text.substr(0, at));
        if (at == std::string_view::npos) return parts;
        text.remove_prefix(at + 1);
    }
}

std::optional<double> number(std::string_view text) {
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
    return value;
}

// Reads field `index` of `parts` as a number in [min, max]; absent or empty keeps `fallback`.
boost::system::result<double, std::string> field(std::string_view whole, const std::vector<std::string_view>& parts,
                                                 std::size_t index, std::string_view name, double min, double max,
                                                 double fallback) {
    if (index >= parts.size() || parts[index].empty()) return fallback;
    const auto value = number(parts[index]);
    if (!value) return fmt::format("'{}': {} must be a number, got '{}'", whole, name, parts[index]);
    if (*value < min || *value > max) return fmt::format("'{}': {} must be in {}–{}, got {}", whole, name, min, max, *value);
    return *value;
}

boost::system::result<InputSpec, std::string> parse_test(std::string_view whole, const std::vector<std::string_view>& parts) {
    const std::string_view kind = parts.size() > 1 ? parts[1] : std::string_view{};
    // `fields`: how many may follow the kind ("test:sine:HZ:DBFS" has two).
    const auto too_many = [&](std::size_t fields) -> std::optional<std::string> {
        if (parts.size() <= fields + 2) return std::nullopt;
        if (fields == 0) return fmt::format("'{}': test:{} takes no fields", whole, kind);
        return fmt::format("'{}': test:{} takes at most {} field{}", whole, kind, fields, fields == 1 ? "" : "s");
    };
    if (kind == "click") {
        if (auto e = too_many(1)) return *e;
        ClickTrack track;
        auto bpm = field(whole, parts, 2, "BPM", 1, 1000, track.bpm);
        if (!bpm) return bpm.error();
        track.bpm = *bpm;
        return TestInput{track};
    }
    if (kind == "sine") {
        if (auto e = too_many(2)) return *e;
        Sine sine;
        auto hz = field(whole, parts, 2, "HZ", 1, 96000, sine.frequency_hz);
        if (!hz) return hz.error();
        auto dbfs = field(whole, parts, 3, "DBFS", -120, 0, sine.peak_dbfs);
        if (!dbfs) return dbfs.error();
        sine.frequency_hz = *hz;
        sine.peak_dbfs = *dbfs;
        return TestInput{sine};
    }
    if (kind == "noise") {
        if (auto e = too_many(2)) return *e;
        Noise noise;
        if (parts.size() > 2 && !parts[2].empty()) {
            if (parts[2] == "white") {
                noise.colour = NoiseColour::white;
            } else if (parts[2] != "pink") {
                return fmt::format("'{}': the noise colour is pink or white, got '{}'", whole, parts[2]);
            }
        }
        auto dbfs = field(whole, parts, 3, "DBFS", -120, 0, noise.rms_dbfs);
        if (!dbfs) return dbfs.error();
        noise.rms_dbfs = *dbfs;
        return TestInput{noise};
    }
    if (kind == "silence") {
        if (auto e = too_many(0)) return *e;
        return TestInput{Silence{}};
    }
    return fmt::format("'{}': expected test:click, test:sine, test:noise or test:silence", whole);
}

}  // namespace

boost::system::result<InputSpec, std::string> parse_input_spec(std::string_view text) {
    const auto colon = text.find(':');
    const std::string_view kind = text.substr(0, colon);
    // Everything after the first colon belongs to the kind: paths and ALSA names hold colons.
    const std::string_view rest = colon == std::string_view::npos ? std::string_view{} : text.substr(colon + 1);
    const bool has_rest = colon != std::string_view::npos;
    if (kind == "test") return parse_test(text, split(text, ':'));
    if (kind == "file") {
        if (rest.empty()) return fmt::format("'{}': expected file:PATH", text);
        return FileInput{std::string(rest)};
    }
    if (kind == "stdin") {
        if (has_rest) return fmt::format("'{}': stdin takes no fields (see --channels and --sample-rate)", text);
        return StdinInput{};
    }
    if (kind == "pulse") {
        if (has_rest && rest.empty()) return fmt::format("'{}': expected pulse or pulse:SOURCE", text);
        return PulseInput{std::string(rest)};
    }
    if (kind == "alsa") {
        if (has_rest && rest.empty()) return fmt::format("'{}': expected alsa or alsa:DEVICE", text);
        return has_rest ? AlsaInput{std::string(rest)} : AlsaInput{};
    }
    return fmt::format("'{}': expected test:click[:BPM], test:sine[:HZ[:DBFS]], test:noise[:pink|white[:DBFS]], "
                       "test:silence, file:PATH, stdin, pulse[:SOURCE] or alsa[:DEVICE]",
                       text);
}

std::string describe(const InputSpec& spec) {
    struct Describe {
        std::string operator()(const TestInput& t) const {
            struct Signal {
                std::string operator()(const ClickTrack& c) const { return fmt::format("test:click:{}", c.bpm); }
                std::string operator()(const Sine& s) const {
                    return fmt::format("test:sine:{}:{}", s.frequency_hz, s.peak_dbfs);
                }
                std::string operator()(const Noise& n) const {
                    return fmt::format("test:noise:{}:{}", n.colour == NoiseColour::pink ? "pink" : "white", n.rms_dbfs);
                }
                std::string operator()(const Silence&) const { return "test:silence"; }
            };
            return std::visit(Signal{}, t.signal);
        }
        std::string operator()(const FileInput& f) const { return "file:" + f.path; }
        std::string operator()(const StdinInput&) const { return "stdin"; }
        std::string operator()(const PulseInput& p) const { return p.source.empty() ? "pulse" : "pulse:" + p.source; }
        std::string operator()(const AlsaInput& a) const { return "alsa:" + a.device; }
    };
    return std::visit(Describe{}, spec);
}

}  // namespace vj::audio::program
