// vj-audio's command line: defaults, every flag, and every problem reported at once naming its flag.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

#include "audio-analyzer/program/audio_options.hpp"

namespace vj::audio::program {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

ParseResult parse(std::vector<const char*> args) {
    args.insert(args.begin(), "vj-audio");
    return parse_options(static_cast<int>(args.size()), args.data());
}

AudioOptions ok(std::vector<const char*> args) {
    ParseResult r = parse(args);
    for (const auto& e : r.errors) ADD_FAILURE() << e;
    return r.options ? *r.options : AudioOptions{};
}

std::vector<std::string> errors(std::vector<const char*> args) {
    ParseResult r = parse(args);
    EXPECT_FALSE(r.options);
    EXPECT_EQ(r.exit_status, exit_usage);
    return r.errors;
}

TEST(ProgramOptions, Defaults) {
    const AudioOptions o = ok({});
    EXPECT_EQ(describe(o.input), "test:click:120");
    EXPECT_FALSE(o.fast);
    EXPECT_EQ(o.sample_rate, 44100.0);
    EXPECT_EQ(o.analyzer.hop, 512u);
    EXPECT_EQ(o.analyzer.window, 1024u);
    ASSERT_EQ(o.targets.size(), 1u);
    EXPECT_EQ(o.targets[0].text, "127.0.0.1:9000");
    EXPECT_EQ(o.output.rate_hz, 60.0);
    ASSERT_EQ(o.output.targets.size(), 1u);
    EXPECT_EQ(o.output.targets[0], default_addresses("/vj/audio"));
}

TEST(ProgramOptions, EveryFlag) {
    const AudioOptions o = ok({"--input",
                               "stdin",
                               "--sample-rate",
                               "48000",
                               "--channels",
                               "6",
                               "--hop",
                               "256",
                               "--window",
                               "2048",
                               "--bands",
                               "30,200,1500,5000,16000",
                               "--bpm-range",
                               "80:180",
                               "--onset-threshold",
                               "4.5",
                               "--rate",
                               "30",
                               "--prefix",
                               "/show/audio",
                               "--osc",
                               "127.0.0.1:7000",
                               "--osc",
                               "[::1]:9001",
                               "--map",
                               "127.0.0.1:7000,*=-,bass=/composition/layers/1/video/opacity",
                               "--heartbeat",
                               "/tmp/hb",
                               "--status",
                               "/tmp/st.json",
                               "--log-level",
                               "debug"});
    EXPECT_TRUE(std::holds_alternative<StdinInput>(o.input));
    EXPECT_EQ(o.sample_rate, 48000.0);
    EXPECT_EQ(o.analyzer.sample_rate, 48000.0);
    EXPECT_EQ(o.channels, 6u);
    EXPECT_EQ(o.analyzer.hop, 256u);
    EXPECT_EQ(o.analyzer.window, 2048u);
    EXPECT_EQ(o.analyzer.band_edges, (BandEdges{30, 200, 1500, 5000, 16000}));
    EXPECT_EQ(o.analyzer.bpm_min, 80.0);
    EXPECT_EQ(o.analyzer.bpm_max, 180.0);
    EXPECT_EQ(o.analyzer.onset_threshold, 4.5f);
    EXPECT_EQ(o.output.rate_hz, 30.0);
    ASSERT_EQ(o.targets.size(), 2u);   // --osc replaces the default
    ASSERT_EQ(o.output.targets.size(), 2u);
    Addresses resolume{};
    resolume[static_cast<std::size_t>(Output::bass)] = "/composition/layers/1/video/opacity";
    EXPECT_EQ(o.output.targets[0], resolume);
    EXPECT_EQ(o.output.targets[1], default_addresses("/show/audio"));
    EXPECT_EQ(o.common.heartbeat, "/tmp/hb");
    EXPECT_EQ(o.common.status, "/tmp/st.json");
    EXPECT_EQ(o.common.log_level, "debug");
}

TEST(ProgramOptions, FastLoopAndFile) {
    const AudioOptions o = ok({"--input", "file:/srv/loop.wav", "--fast", "--loop"});
    EXPECT_EQ(std::get<FileInput>(o.input).path, "/srv/loop.wav");
    EXPECT_TRUE(o.fast);
    EXPECT_TRUE(o.loop);
}

TEST(ProgramOptions, MapsOfOneTargetMergeAndMatchHowEverTheTargetIsWritten) {
    const AudioOptions o = ok({"--osc", "127.0.0.1:7000", "--map", "localhost:7000,bass=/b", "--map", "127.0.0.1:7000,beat=-"});
    Addresses want = default_addresses("/vj/audio");
    want[static_cast<std::size_t>(Output::bass)] = "/b";
    want[static_cast<std::size_t>(Output::beat)].reset();
    ASSERT_EQ(o.output.targets.size(), 1u);
    EXPECT_EQ(o.output.targets[0], want);
}

TEST(ProgramOptions, EveryProblemAtOnceNamingItsFlag) {
    EXPECT_THAT(
        errors({"--hop", "10", "--window", "1000", "--rate", "0", "--prefix", "vj", "--log-level", "loud"}),
        ElementsAre("--log-level: unknown level 'loud' (error, warn, info, debug)", "--hop: 10 samples is outside 64–8192",
                    "--window: 1000 is not a power of two in 64–65536",
                    "--rate: expected bundles per second in (0, 1000], got '0'", "--prefix: 'vj' does not start with '/'"));
    EXPECT_THAT(errors({"--bpm-range", "100:150"}),
                ElementsAre(StartsWith("--bpm-range: need 0 < bpm_min, 2·bpm_min ≤ bpm_max")));
    EXPECT_THAT(errors({"--bpm-range", "fast"}), ElementsAre("--bpm-range: expected MIN:MAX in BPM, got 'fast'"));
    EXPECT_THAT(errors({"--bands", "1,2,3"}),
                ElementsAre("--bands: expected five frequencies E0,E1,E2,E3,E4 in Hz, got '1,2,3'"));
    EXPECT_THAT(errors({"--bands", "20,10,2000,6000,20000"}), ElementsAre("--bands: need five rising frequencies above 0 Hz"));
    EXPECT_THAT(errors({"--window", "64", "--hop", "64"}),
                ElementsAre(StartsWith("--bands: band bass (20–250 Hz) holds no FFT bin")));
    EXPECT_THAT(errors({"--window", "256"}), ElementsAre("--window: 256 is shorter than hop 512"));
    EXPECT_THAT(errors({"--onset-threshold", "0.5"}), ElementsAre("--onset-threshold: 0.5 is outside 1–100"));
    EXPECT_THAT(errors({"--hop", "x"}), ElementsAre("--hop: expected a number of samples, got 'x'"));
    EXPECT_THAT(
        errors({"--sample-rate", "4000", "--input", "stdin"}),
        ElementsAre("--sample-rate: 4000 Hz is outside 8000–192000",
                    "--hop: 512 samples at 4000 Hz gives under 20 frames per second, too few to follow onsets and tempo"));
}

TEST(ProgramOptions, InputAndFlagsThatDoNotFitIt) {
    EXPECT_THAT(errors({"--input", "mic"}), ElementsAre(StartsWith("--input: 'mic': expected test:click[:BPM]")));
    EXPECT_THAT(errors({"--channels", "2"}),
                ElementsAre("--channels: only for stdin, pulse and alsa inputs (test: is mono, a file has its own)"));
    EXPECT_THAT(errors({"--input", "file:/a.wav", "--sample-rate", "48000"}),
                ElementsAre("--sample-rate: a file: input plays at the file's own rate"));
    EXPECT_THAT(errors({"--loop"}), ElementsAre("--loop: only for file: inputs"));
    EXPECT_THAT(errors({"--input", "pulse", "--fast"}), ElementsAre(StartsWith("--fast: only for test: and file: inputs")));
    EXPECT_THAT(errors({"--input", "stdin", "--channels", "0"}), ElementsAre("--channels: expected 1–64, got '0'"));
    EXPECT_THAT(errors({"--input", "stdin", "--sample-rate", "44100.5"}),
                ElementsAre("--sample-rate: expected a whole number of Hz, got '44100.5'"));
    EXPECT_THAT(errors({"--input", "test:sine:30000"}),
                ElementsAre("--input: 30000 Hz is not below the Nyquist frequency (22050 Hz at --sample-rate 44100)"));
    // A file's rate is not known yet: its analyzer settings are checked once it is open.
    EXPECT_TRUE(parse({"--input", "file:/a.wav", "--window", "64"}).options);
}

TEST(ProgramOptions, OscTargetsAndMaps) {
    EXPECT_THAT(errors({"--osc", "nowhere"}), ElementsAre(HasSubstr("--osc: ")));
    EXPECT_THAT(errors({"--osc", "127.0.0.1:9000", "--osc", "127.0.0.1:9000"}),
                ElementsAre("--osc: '127.0.0.1:9000' is the same target as '127.0.0.1:9000'"));
    EXPECT_THAT(errors({"--map", "127.0.0.1:7000,bass=/b"}),
                ElementsAre("--map: '127.0.0.1:7000' is not an --osc target (add --osc 127.0.0.1:7000)"));
    EXPECT_THAT(errors({"--map", "127.0.0.1:9000,loud=/b"}),
                ElementsAre(StartsWith("--map: '127.0.0.1:9000,loud=/b': unknown output 'loud'")));
    EXPECT_THAT(errors({"--map", "127.0.0.1:9000,bass=/b", "--map", "127.0.0.1:9000,bass=-"}),
                ElementsAre("--map: 127.0.0.1:9000: bass is mapped twice"));
}

TEST(ProgramOptions, MalformedCommandLineAndHelp) {
    ParseResult unknown = parse({"--bogus"});
    EXPECT_EQ(unknown.exit_status, exit_usage);
    ASSERT_EQ(unknown.errors.size(), 1u);
    EXPECT_THAT(unknown.errors[0], HasSubstr("--bogus"));
    ParseResult missing = parse({"--hop"});
    EXPECT_EQ(missing.exit_status, exit_usage);
    ASSERT_EQ(missing.errors.size(), 1u);
    EXPECT_THAT(missing.errors[0], HasSubstr("--hop"));
    ParseResult help = parse({"--help"});
    EXPECT_EQ(help.exit_status, exit_ok);
    EXPECT_FALSE(help.options);
    for (const char* flag :
         {"--input", "--fast", "--loop", "--sample-rate", "--channels", "--hop", "--window", "--bands", "--bpm-range",
          "--onset-threshold", "--rate", "--prefix", "--map", "--osc", "--heartbeat", "--status", "--log-level"}) {
        EXPECT_THAT(help.help, HasSubstr(flag));
    }
}

TEST(ProgramOptions, AnalyzerProblemsForAFileNameTheInput) {
    AnalyzerConfig c;
    c.sample_rate = 4000;
    EXPECT_THAT(analyzer_problems(c, "--input (4000 Hz)"), Contains("--input (4000 Hz): 4000 Hz is outside 8000–192000"));
    c.sample_rate = 8000;
    EXPECT_THAT(
        analyzer_problems(c, "--input (8000 Hz)"),
        ElementsAre("--hop: 512 samples at 8000 Hz gives under 20 frames per second, too few to follow onsets and tempo"));
    c.hop = 256;
    EXPECT_THAT(analyzer_problems(c, "--input (8000 Hz)"),
                ElementsAre(StartsWith("--bands: band high (6000–20000 Hz) holds no FFT bin")));
}

}  // namespace
}  // namespace vj::audio::program
