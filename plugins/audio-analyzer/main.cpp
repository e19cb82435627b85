// vj-audio: analyses audio (levels, bands, onsets, tempo, beats) and sends it as OSC; see vj-audio(1).
// GPL-3.0-or-later, because it links aubio (GPL-3+); the rest of vj-supervisor is MIT.
#include <iostream>

#include "audio-analyzer/program/audio_app.hpp"
#include "audio-analyzer/program/audio_options.hpp"

int main(int argc, char** argv) {
    using namespace vj::audio::program;
    ParseResult parsed = parse_options(argc, argv);
    if (!parsed.options) {
        std::cout << parsed.help;
        for (const std::string& e : parsed.errors) std::cerr << "vj-audio: error: " << e << "\n";
        return parsed.exit_status;
    }
    return run_audio(std::move(*parsed.options));
}
