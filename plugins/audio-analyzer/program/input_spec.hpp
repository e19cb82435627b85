// The --input SPEC grammar of vj-audio: which source to read and its parameters. Pure.
// Part of vj-audio: GPL-3.0-or-later, because the program links aubio (GPL-3+).
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include <boost/system/result.hpp>

#include "audio-analyzer/generator.hpp"

namespace vj::audio::program {

/// test:click[:BPM], test:sine[:HZ[:DBFS]], test:noise[:pink|white[:DBFS]], test:silence: a
/// generated signal, paced to real time unless --fast.
struct TestInput {
    Signal signal = ClickTrack{};
};
/// file:PATH: anything libsndfile reads, any channel count (mixed down to mono).
struct FileInput {
    std::string path;
};
/// stdin: raw interleaved float32 little-endian PCM (--channels, --sample-rate).
struct StdinInput {};
/// pulse[:SOURCE]: PulseAudio (or PipeWire's pipewire-pulse) capture; empty source = the default.
struct PulseInput {
    std::string source;
};
/// alsa[:DEVICE]: ALSA capture; the device defaults to "default".
struct AlsaInput {
    std::string device = "default";
};

using InputSpec = std::variant<TestInput, FileInput, StdinInput, PulseInput, AlsaInput>;

/// What --input means when it is not given: a 120 BPM click track.
inline constexpr std::string_view default_input = "test:click:120";

/// Parses an --input value. The error is a phrase without the flag's name, naming the text and
/// what is wrong: "'test:sine:loud': HZ must be a number, got 'loud'".
boost::system::result<InputSpec, std::string> parse_input_spec(std::string_view text);

/// The spec written out in full, defaults included, as the status file and the logs show it:
/// "test:click:120", "test:sine:1000:-6", "file:/srv/a.wav", "pulse" or "pulse:SOURCE",
/// "alsa:default", "stdin". parse_input_spec(describe(s)) gives s back.
std::string describe(const InputSpec& spec);

}  // namespace vj::audio::program
