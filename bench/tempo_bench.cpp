// tempo_bench: runs vj-audio's analysis core over a sound file as fast as it can and prints the
// BPM it reports at the end (and, with --timing, the cost per hop). Stand-in for `vj-audio --fast`
// in bench/tempo_accuracy.sh until the worker exists.
// GPL-3.0-or-later: links vj_audio_lib, which links aubio (GPL-3+).
//
//   tempo_bench FILE             prints "BPM CONFIDENCE" after the whole file
//   tempo_bench --timing FILE    prints p50/p99/max per hop and the speed as × real time
//
// The cost per hop is this thread's CPU time (CLOCK_THREAD_CPUTIME_ID), so that another process
// taking the core for a scheduler tick does not show up as a 4 ms hop; × real time is wall time.
#include <sndfile.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <vector>

#include "audio-analyzer/analyzer.hpp"
#include "audio-analyzer/downmix.hpp"

namespace {

double thread_cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

struct SoundFile {
    SNDFILE* file = nullptr;
    SF_INFO info{};
    explicit SoundFile(const char* path) { file = sf_open(path, SFM_READ, &info); }
    ~SoundFile() {
        if (file != nullptr) sf_close(file);
    }
    SoundFile(const SoundFile&) = delete;
    SoundFile& operator=(const SoundFile&) = delete;
};

}  // namespace

int main(int argc, char** argv) {
    const bool timing = argc == 3 && std::strcmp(argv[1], "--timing") == 0;
    if (!(argc == 2 || timing)) {
        std::fprintf(stderr, "usage: tempo_bench [--timing] FILE\n");
        return 2;
    }
    const char* path = argv[argc - 1];
    SoundFile in(path);
    if (in.file == nullptr) {
        std::fprintf(stderr, "tempo_bench: error: cannot open %s: %s\n", path, sf_strerror(nullptr));
        return 1;
    }
    vj::audio::AnalyzerConfig config;
    config.sample_rate = in.info.samplerate;
    const auto errors = vj::audio::validate(config);
    if (!errors.empty()) {
        std::fprintf(stderr, "tempo_bench: error: %s: %s\n", path, errors.front().c_str());
        return 1;
    }
    vj::audio::Analyzer analyzer(config);
    vj::audio::HopAssembler hops(config.hop);
    const auto channels = static_cast<std::size_t>(in.info.channels);
    const std::size_t block = 4096;
    std::vector<float> interleaved(block * channels), mono(block);
    std::vector<double> costs;   // seconds per hop, when timing
    using clock = std::chrono::steady_clock;
    double analysis_s = 0;
    vj::audio::Frame last;
    const auto start = clock::now();
    for (;;) {
        const sf_count_t got = sf_readf_float(in.file, interleaved.data(), static_cast<sf_count_t>(block));
        if (got <= 0) break;
        const auto frames = static_cast<std::size_t>(got);
        vj::audio::downmix(std::span<const float>(interleaved).first(frames * channels), channels, std::span<float>(mono).first(frames));
        hops.push(std::span<const float>(mono).first(frames), [&](std::span<const float> hop) {
            if (!timing) {
                last = analyzer.process(hop);
                return;
            }
            const double t0 = thread_cpu_seconds();
            last = analyzer.process(hop);
            const double cost = thread_cpu_seconds() - t0;
            costs.push_back(cost);
            analysis_s += cost;
        });
    }
    const double wall_s = std::chrono::duration<double>(clock::now() - start).count();
    const double audio_s = static_cast<double>(analyzer.position()) / config.sample_rate;
    if (!timing) {
        std::printf("%.2f %.2f\n", last.bpm, last.bpm_confidence);
        return 0;
    }
    std::sort(costs.begin(), costs.end());
    auto at = [&](double q) { return costs.empty() ? 0.0 : costs[static_cast<std::size_t>(q * static_cast<double>(costs.size() - 1))]; };
    std::printf("hops %zu  audio %.1f s  CPU per hop: p50 %.1f us  p99 %.1f us  max %.1f us  |  analysis %.0fx real time, "
                "with decoding and downmix %.0fx real time (wall)\n",
                costs.size(), audio_s, at(0.5) * 1e6, at(0.99) * 1e6, costs.empty() ? 0.0 : costs.back() * 1e6,
                audio_s / analysis_s, audio_s / wall_s);
    return 0;
}
