// Command-line parsing for vj-audio (CLI11), then every check that can be made before running.
// Part of vj-audio: GPL-3.0-or-later, because the program links aubio (GPL-3+).
#include "audio-analyzer/program/audio_options.hpp"

#include <netinet/in.h>

#include <charconv>
#include <cmath>
#include <cstring>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "sdk/log.hpp"

namespace vj::audio::program {
namespace {

std::optional<double> number(std::string_view text) {
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
    return value;
}

std::optional<std::size_t> whole_number(std::string_view text) {
    std::size_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
    return value;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    for (;;) {
        const auto at = text.find(separator);
        parts.push_back(text.substr(0, at));
        if (at == std::string_view::npos) return parts;
        text.remove_prefix(at + 1);
    }
}

// Two endpoints name the same receiver when family, address and port agree, however written
// ("localhost:7000" and "127.0.0.1:7000").
bool same_endpoint(const sdk::Endpoint& a, const sdk::Endpoint& b) {
    if (a.family() != b.family()) return false;
    if (a.family() == AF_INET) {
        const auto& x = reinterpret_cast<const sockaddr_in&>(a.address);
        const auto& y = reinterpret_cast<const sockaddr_in&>(b.address);
        return x.sin_port == y.sin_port && x.sin_addr.s_addr == y.sin_addr.s_addr;
    }
    if (a.family() == AF_INET6) {
        const auto& x = reinterpret_cast<const sockaddr_in6&>(a.address);
        const auto& y = reinterpret_cast<const sockaddr_in6&>(b.address);
        return x.sin6_port == y.sin6_port && std::memcmp(&x.sin6_addr, &y.sin6_addr, sizeof x.sin6_addr) == 0;
    }
    return a.length == b.length && std::memcmp(&a.address, &b.address, a.length) == 0;
}

struct Flags {
    std::string input{default_input};
    std::string sample_rate;
    std::string channels;
    std::string hop;
    std::string window;
    std::string bands;
    std::string bpm_range;
    std::string onset_threshold;
    std::string rate;
    std::string prefix = "/vj/audio";
    std::vector<std::string> maps;
};

enum class Kind { test, file, stdin_, pulse, alsa };

Kind kind_of(const InputSpec& spec) {
    switch (spec.index()) {
        case 0: return Kind::test;
        case 1: return Kind::file;
        case 2: return Kind::stdin_;
        case 3: return Kind::pulse;
        default: return Kind::alsa;
    }
}

// The analyzer flags, parsed into `config`; problems appended to `errors`.
void read_analyzer_flags(const Flags& f, AnalyzerConfig& config, std::vector<std::string>& errors) {
    if (!f.hop.empty()) {
        if (auto v = whole_number(f.hop)) config.hop = *v;
        else errors.push_back(fmt::format("--hop: expected a number of samples, got '{}'", f.hop));
    }
    if (!f.window.empty()) {
        if (auto v = whole_number(f.window)) config.window = *v;
        else errors.push_back(fmt::format("--window: expected a number of samples, got '{}'", f.window));
    }
    if (!f.bands.empty()) {
        const auto parts = split(f.bands, ',');
        bool ok = parts.size() == config.band_edges.size();
        BandEdges edges{};
        for (std::size_t i = 0; ok && i < parts.size(); ++i) {
            const auto v = number(parts[i]);
            ok = v.has_value();
            if (ok) edges[i] = *v;
        }
        if (ok) config.band_edges = edges;
        else errors.push_back(fmt::format("--bands: expected five frequencies E0,E1,E2,E3,E4 in Hz, got '{}'", f.bands));
    }
    if (!f.bpm_range.empty()) {
        const auto parts = split(f.bpm_range, ':');
        const auto lo = parts.size() == 2 ? number(parts[0]) : std::nullopt;
        const auto hi = parts.size() == 2 ? number(parts[1]) : std::nullopt;
        if (lo && hi) {
            config.bpm_min = *lo;
            config.bpm_max = *hi;
        } else {
            errors.push_back(fmt::format("--bpm-range: expected MIN:MAX in BPM, got '{}'", f.bpm_range));
        }
    }
    if (!f.onset_threshold.empty()) {
        if (auto v = number(f.onset_threshold)) config.onset_threshold = static_cast<float>(*v);
        else errors.push_back(fmt::format("--onset-threshold: expected a number, got '{}'", f.onset_threshold));
    }
}

}  // namespace

std::vector<std::string> analyzer_problems(const AnalyzerConfig& config, std::string_view rate_flag) {
    // validate() names settings; the user knows flags. Settings without a flag keep their name
    // (they are never wrong unless the core's defaults are).
    const std::pair<std::string_view, std::string_view> flags[] = {
        {"sample_rate: ", rate_flag},          {"hop: ", "--hop"},
        {"window: ", "--window"},              {"band_edges: ", "--bands"},
        {"bpm_min/bpm_max: ", "--bpm-range"},  {"onset_threshold: ", "--onset-threshold"},
    };
    std::vector<std::string> out;
    for (const std::string& problem : validate(config)) {
        std::string text = problem;
        for (const auto& [setting, flag] : flags) {
            if (text.starts_with(setting)) {
                text = fmt::format("{}: {}", flag, std::string_view(problem).substr(setting.size()));
                break;
            }
        }
        out.push_back(std::move(text));
    }
    return out;
}

ParseResult parse_options(int argc, const char* const* argv) {
    ParseResult result;
    AudioOptions o;
    Flags f;

    CLI::App app("Analyse audio (levels, bands, onsets, tempo, beats) and send it as OSC; see vj-audio(1).", "vj-audio");
    app.add_option("--input", f.input, "what to analyse: test:click[:BPM], test:sine[:HZ[:DBFS]], test:noise[:pink|white], "
                                        "test:silence, file:PATH, stdin, pulse[:SOURCE], alsa[:DEVICE]")
        ->type_name("SPEC")
        ->capture_default_str();
    app.add_flag("--fast", o.fast, "test: and file: inputs: no pacing, as fast as possible");
    app.add_flag("--loop", o.loop, "file: input: start again at the end instead of exiting");
    app.add_option("--sample-rate", f.sample_rate, "Hz, for test:, stdin, pulse and alsa inputs (default 44100)")
        ->type_name("HZ");
    app.add_option("--channels", f.channels, "interleaved channels, for stdin, pulse and alsa inputs (default 2)")
        ->type_name("N");
    app.add_option("--hop", f.hop, "samples per analysis step (default 512)")->type_name("N");
    app.add_option("--window", f.window, "FFT length, a power of two >= hop (default 1024)")->type_name("N");
    app.add_option("--bands", f.bands, "band edges in Hz (default 20,250,2000,6000,20000)")->type_name("E0,E1,E2,E3,E4");
    app.add_option("--bpm-range", f.bpm_range, "the tempo lies in MIN:MAX, MAX >= 2*MIN (default 60:200)")->type_name("MIN:MAX");
    app.add_option("--onset-threshold", f.onset_threshold, "onset peak over local median, 1-100 (default 3)")->type_name("X");
    app.add_option("--rate", f.rate, "continuous OSC bundles per second of audio (default 60)")->type_name("HZ");
    app.add_option("--prefix", f.prefix, "OSC address prefix")->type_name("ADDRESS")->capture_default_str();
    app.add_option("--map", f.maps, "per-target addresses: HOST:PORT,NAME=ADDRESS|-[,...] (repeatable)")
        ->type_name("MAP")
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    sdk::add_common_options(app, o.common, {"127.0.0.1:9000"});

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
        result.help = app.help();
        return result;
    } catch (const CLI::ParseError& e) {
        result.exit_status = exit_usage;
        result.errors.push_back(e.what());
        return result;
    }

    auto& errors = result.errors;
    if (!sdk::parse_log_level(o.common.log_level)) {
        errors.push_back(fmt::format("--log-level: unknown level '{}' (error, warn, info, debug)", o.common.log_level));
    }

    auto input = parse_input_spec(f.input);
    if (!input) errors.push_back("--input: " + input.error());
    if (input) o.input = *input;
    const Kind kind = kind_of(o.input);

    // Flags that mean nothing for the input are mistakes worth saying, not silently ignored.
    const bool given_rate = app.count("--sample-rate") > 0, given_channels = app.count("--channels") > 0;
    if (input && given_rate && kind == Kind::file) errors.push_back("--sample-rate: a file: input plays at the file's own rate");
    if (input && given_channels && (kind == Kind::test || kind == Kind::file)) {
        errors.push_back("--channels: only for stdin, pulse and alsa inputs (test: is mono, a file has its own)");
    }
    if (input && o.loop && kind != Kind::file) errors.push_back("--loop: only for file: inputs");
    if (input && o.fast && kind != Kind::test && kind != Kind::file) {
        errors.push_back("--fast: only for test: and file: inputs (stdin, pulse and alsa go at the pace the audio comes)");
    }
    if (given_rate) {
        // Whole hertz: PulseAudio and ALSA take an integer rate, and so does every file format.
        const auto v = whole_number(f.sample_rate);
        if (v && *v > 0) o.sample_rate = static_cast<double>(*v);
        else errors.push_back(fmt::format("--sample-rate: expected a whole number of Hz, got '{}'", f.sample_rate));
    }
    if (given_channels) {
        const auto v = whole_number(f.channels);
        if (v && *v >= 1 && *v <= 64) o.channels = *v;
        else errors.push_back(fmt::format("--channels: expected 1–64, got '{}'", f.channels));
    }

    o.analyzer.sample_rate = o.sample_rate;
    const std::size_t flag_errors = errors.size();
    read_analyzer_flags(f, o.analyzer, errors);
    // A file's rate is known once it is open; every other input's rate is known now.
    if (kind != Kind::file && errors.size() == flag_errors) {
        for (auto& p : analyzer_problems(o.analyzer, "--sample-rate")) errors.push_back(std::move(p));
    }
    if (const auto* test = std::get_if<TestInput>(&o.input)) {
        if (const auto* sine = std::get_if<Sine>(&test->signal); sine && sine->frequency_hz >= o.sample_rate / 2) {
            errors.push_back(fmt::format("--input: {} Hz is not below the Nyquist frequency ({} Hz at --sample-rate {})",
                                         sine->frequency_hz, o.sample_rate / 2, o.sample_rate));
        }
    }

    if (!f.rate.empty()) {
        const auto v = number(f.rate);
        if (v && *v > 0 && *v <= 1000) o.output.rate_hz = *v;
        else errors.push_back(fmt::format("--rate: expected bundles per second in (0, 1000], got '{}'", f.rate));
    }
    const auto bad_prefix = check_prefix(f.prefix);
    if (bad_prefix) errors.push_back("--prefix: " + *bad_prefix);

    for (const std::string& text : o.common.osc) {
        auto e = sdk::parse_endpoint(text);
        if (!e) {
            errors.push_back("--osc: " + e.error());
            continue;
        }
        for (const sdk::Endpoint& seen : o.targets) {
            if (same_endpoint(seen, *e)) errors.push_back(fmt::format("--osc: '{}' is the same target as '{}'", text, seen.text));
        }
        o.targets.push_back(std::move(*e));
    }

    // Each --map joins the rules of its target; the rules are applied once all are in, so that
    // two --map values for one target behave like one.
    std::vector<std::vector<MapRule>> rules(o.targets.size());
    for (const std::string& text : f.maps) {
        auto spec = parse_map(text);
        if (!spec) {
            errors.push_back("--map: " + spec.error());
            continue;
        }
        auto target = sdk::parse_endpoint(spec->target);
        if (!target) {
            errors.push_back("--map: " + target.error());
            continue;
        }
        std::size_t t = 0;
        while (t < o.targets.size() && !same_endpoint(o.targets[t], *target)) ++t;
        if (t == o.targets.size()) {
            errors.push_back(fmt::format("--map: '{}' is not an --osc target (add --osc {})", spec->target, spec->target));
            continue;
        }
        rules[t].insert(rules[t].end(), spec->rules.begin(), spec->rules.end());
    }
    if (!bad_prefix) {
        const Addresses defaults = default_addresses(f.prefix);
        for (std::size_t t = 0; t < o.targets.size(); ++t) {
            auto addresses = apply_rules(defaults, rules[t]);
            if (!addresses) {
                errors.push_back(fmt::format("--map: {}: {}", o.targets[t].text, addresses.error()));
                continue;
            }
            o.output.targets.push_back(std::move(*addresses));
        }
    }

    if (!errors.empty()) {
        result.exit_status = exit_usage;
        return result;
    }
    result.options = std::move(o);
    return result;
}

}  // namespace vj::audio::program
