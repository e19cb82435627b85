// The command line of vj-audio, parsed and checked into what the program runs with. Every flag
// and its rules are in vj-audio(1), OPTIONS.
// Part of vj-audio: GPL-3.0-or-later, because the program links aubio (GPL-3+).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audio-analyzer/analyzer_config.hpp"
#include "audio-analyzer/program/input_spec.hpp"
#include "audio-analyzer/program/osc_output.hpp"
#include "sdk/endpoint.hpp"
#include "sdk/worker.hpp"

namespace vj::audio::program {

/// Exit statuses, as vj-audio(1), EXIT STATUS, documents them.
enum ExitStatus : int {
    exit_ok = 0,        ///< end of a file or of stdin, SIGTERM or SIGINT, or --help
    exit_failure = 1,   ///< the input cannot be opened or read, or a socket cannot be made
    exit_usage = 2,     ///< a bad option or value, analyzer settings that do not fit the input included
};

struct AudioOptions {
    sdk::CommonOptions common;
    InputSpec input = TestInput{};
    bool fast = false;                ///< --fast: no pacing (test: and file: inputs)
    bool loop = false;                ///< --loop: start a file: input again at its end
    double sample_rate = 44100.0;     ///< --sample-rate: test:, stdin, pulse and alsa inputs
    std::size_t channels = 2;         ///< --channels: stdin, pulse and alsa inputs
    /// The analyzer's settings. Checked here for every input but file:, whose sample rate is known
    /// only once it is open: the program checks it then with analyzer_problems().
    AnalyzerConfig analyzer;
    std::vector<sdk::Endpoint> targets;   ///< --osc, resolved, in order
    OscOutputConfig output;               ///< --rate, and the addresses of each target
};

/// What the command line came to: options to run with, or an exit status to end with at once
/// after printing `help` (on stdout) or `errors` (on stderr, each as "vj-audio: error: ERROR").
struct ParseResult {
    std::optional<AudioOptions> options;
    int exit_status = exit_ok;
    std::string help;
    /// Every problem found, each naming its flag: "--hop: 10 samples is outside 64–8192".
    std::vector<std::string> errors;
};

/// Parses and checks argv (argv[0] is the program). All problems are reported together, except
/// that a malformed command line (an unknown flag, a missing value) stops at the first.
ParseResult parse_options(int argc, const char* const* argv);

/// validate(config)'s problems with each message's setting replaced by the flag that sets it
/// ("hop: ..." becomes "--hop: ..."). `rate_flag` names where the sample rate came from:
/// "--sample-rate", or "--input" for a file's own rate.
std::vector<std::string> analyzer_problems(const AnalyzerConfig& config, std::string_view rate_flag);

}  // namespace vj::audio::program
