// vj-audio's shell: opens the input and the OSC sockets, then drives the analysis from the loop that
// suits the input (paced, --fast, blocking capture, or stdin readiness) under the SDK's Worker.
// Part of vj-audio: GPL-3.0-or-later, because the program links aubio (GPL-3+).
#pragma once

#include "audio-analyzer/program/audio_options.hpp"

namespace vj::audio::program {

/// Runs until the input ends (exit_ok), a stop signal (exit_ok), or a failure (exit_failure after
/// logging it; exit_usage when the analyzer settings do not fit a file's sample rate).
int run_audio(AudioOptions options);

}  // namespace vj::audio::program
