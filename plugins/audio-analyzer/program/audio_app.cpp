// The run loops of vj-audio around AudioSession: pacing by the steady clock, --fast, ALSA's
// blocking capture, and readiness (stdin; pulse through its capture thread's pipe, with a stall
// limit), with the Worker's heartbeat, status file and sd_notify.
// Part of vj-audio: GPL-3.0-or-later, because the program links aubio (GPL-3+).
#include "audio-analyzer/program/audio_app.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "audio-analyzer/downmix.hpp"
#include "audio-analyzer/program/audio_session.hpp"
#include "audio-analyzer/program/input_source.hpp"
#include "audio-analyzer/program/pacer.hpp"
#include "sdk/log.hpp"
#include "sdk/osc_sender.hpp"

namespace vj::audio::program {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

/// Further behind real time than this, a paced input skips ahead (VJ-NOTES: visuals want now).
constexpr auto max_lag = 500ms;
/// --fast turns the Worker's loop (signals, heartbeat, status file) once per this many hops: ~1 s
/// of audio, a few milliseconds of wall time at hundreds of times real time.
constexpr std::uint64_t fast_tick_hops = 64;
/// How often sd_notify STATUS (vjctl status) is refreshed.
constexpr auto notify_period = 5s;
/// How often a source with a stall limit is checked for having gone quiet.
constexpr auto stall_check_period = 500ms;
/// stdin is read in blocks of this many hops at most.
constexpr std::size_t stdin_block_hops = 16;

/// Everything one run needs, so the loops below take one argument.
struct Run {
    sdk::Worker& worker;
    InputSource& source;
    AudioSession& session;
    std::size_t hop;
    Clock::time_point start;
    std::string input;   // as the user named it, for messages

    std::int64_t second(Clock::time_point t) const {
        return std::chrono::duration_cast<std::chrono::seconds>(t - start).count();
    }
    void analyse(std::span<const float> mono_hop) {
        const auto t0 = Clock::now();
        session.process(mono_hop, second(t0));
        session.record_hop_time(Clock::now() - t0);
    }
    /// The input ended: one last turn of the loop writes the final status file.
    int finish() {
        sdk::log_info("end of input after {:.3f} s of audio", session.last_frame().time);
        worker.stop();
        worker.tick(Clock::duration::zero());
        return exit_ok;
    }
    /// Reads one hop and analyses it. False when the run is over (`status` says how).
    bool next_hop(std::vector<float>& buffer, int& status) {
        auto n = source.read(buffer);
        if (!n) {
            sdk::log_error("{}", n.error());
            status = exit_failure;
            return false;
        }
        // A last partial hop at the end of a file is not analysed: < 1 hop of audio.
        if (*n < hop) {
            status = finish();
            return false;
        }
        analyse(buffer);
        return true;
    }
};

int run_paced(Run& run) {
    Pacer pacer(run.source.sample_rate(), run.hop, max_lag, Clock::now());
    std::vector<float> buffer(run.hop);
    int status = exit_ok;
    for (;;) {
        const auto step = pacer.advance(Clock::now());
        if (step.skipped > 0) {
            sdk::log_warn("fell more than {} ms behind real time: skipped {} hops", max_lag.count(), step.skipped);
            if (auto r = run.source.skip(step.skipped * static_cast<std::int64_t>(run.hop)); !r) {
                sdk::log_error("{}", r.error());
                return exit_failure;
            }
            run.session.add_dropped(step.skipped);
        }
        for (std::int64_t i = 0; i < step.hops; ++i) {
            if (!run.next_hop(buffer, status)) return status;
        }
        if (run.source.ended()) return run.finish();
        const auto wait = std::max(Clock::duration::zero(), pacer.next_due() - Clock::now());
        if (!run.worker.tick(wait)) return exit_ok;
    }
}

int run_fast(Run& run) {
    std::vector<float> buffer(run.hop);
    int status = exit_ok;
    for (std::uint64_t n = 0;; ++n) {
        if (n % fast_tick_hops == 0 && !run.worker.tick(Clock::duration::zero())) return exit_ok;
        if (!run.next_hop(buffer, status)) return status;
        if (run.source.ended()) return run.finish();
    }
}

int run_blocking(Run& run) {
    std::vector<float> buffer(run.hop);
    int status = exit_ok;
    // The read blocks for about one hop, so a stop signal is seen within a hop.
    while (run.worker.tick(Clock::duration::zero())) {
        if (!run.next_hop(buffer, status)) return status;
    }
    return exit_ok;
}

int run_readiness(Run& run) {
    HopAssembler assembler(run.hop);
    std::vector<float> block(run.hop * stdin_block_hops);
    int status = exit_ok;
    const int fd = run.source.fd();
    auto last_audio = Clock::now();
    run.worker.watch(fd, [&] {
        auto n = run.source.read(block);
        if (!n) {
            sdk::log_error("{}", n.error());
            status = exit_failure;
            run.worker.stop();
            return;
        }
        if (*n > 0) last_audio = Clock::now();
        assembler.push(std::span<const float>(block).first(*n), [&](std::span<const float> hop) { run.analyse(hop); });
        if (run.source.ended()) {
            sdk::log_info("end of input after {:.3f} s of audio", run.session.last_frame().time);
            run.worker.unwatch(fd);
            run.worker.stop();   // this turn's housekeeping writes the final status file
        }
    });
    if (const auto limit = run.source.stall_limit()) {
        run.worker.every(stall_check_period, [&, limit = *limit] {
            if (Clock::now() - last_audio < limit) return;
            sdk::log_error("{}: no audio for {} s: the server does not answer", run.input,
                           std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - last_audio).count());
            status = exit_failure;
            run.worker.stop();
        });
    }
    run.worker.run();
    return status;
}

}  // namespace

int run_audio(AudioOptions o) {
    auto worker = sdk::Worker::create("vj-audio", o.common);
    if (!worker) return exit_failure;
    auto sender = sdk::OscSender::create(o.targets);
    if (!sender) return exit_failure;

    const std::string input = describe(o.input);
    auto opened = open_input(o.input, InputParams{o.sample_rate, o.channels, o.analyzer.hop, o.loop});
    if (!opened) {
        sdk::log_error("{}", opened.error());
        return exit_failure;
    }
    InputSource& source = **opened;

    AnalyzerConfig config = o.analyzer;
    config.sample_rate = source.sample_rate();
    if (std::holds_alternative<FileInput>(o.input)) {
        // Checked here, not with the other flags: only now is the file's rate known.
        const auto problems = analyzer_problems(config, fmt::format("--input ({} Hz)", config.sample_rate));
        for (const auto& p : problems) sdk::log_error("{}", p);
        if (!problems.empty()) return exit_usage;
    }

    AudioSession session(config, std::move(o.output),
                         [&s = *sender](std::size_t target, std::span<const std::byte> packet) { s.send_to(target, packet); },
                         input, source.channels());
    Run run{*worker, source, session, config.hop, Clock::now(), input};

    worker->on_status([&] {
        return status_json(session.snapshot(run.second(Clock::now()), sender->targets().size(), sender->sent(), sender->failed(),
                                            source.overruns()));
    });
    worker->every(notify_period, [&] {
        worker->status(status_line(session.last_frame().bpm, session.recent_levels().rms_db));
    });

    std::string targets;
    for (const auto& t : sender->targets()) targets += (targets.empty() ? "" : ", ") + t.text;
    sdk::log_info("analysing {} ({} Hz, {} channel{}, hop {}, window {}){}; OSC to {}", input, config.sample_rate,
                  source.channels(), source.channels() == 1 ? "" : "s", config.hop, config.window, o.fast ? " --fast" : "",
                  targets.empty() ? "nowhere" : targets);
    worker->ready("analysing " + input);

    switch (source.drive()) {
        case InputSource::Drive::clocked: return o.fast ? run_fast(run) : run_paced(run);
        case InputSource::Drive::blocking: return run_blocking(run);
        case InputSource::Drive::readiness: return run_readiness(run);
    }
    return exit_failure;
}

}  // namespace vj::audio::program
