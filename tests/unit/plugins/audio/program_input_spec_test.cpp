// vj-audio's --input grammar: every kind, defaults, and the errors' wording.
#include <gtest/gtest.h>

#include "audio-analyzer/program/input_spec.hpp"

namespace vj::audio::program {
namespace {

InputSpec parsed(std::string_view text) {
    auto r = parse_input_spec(text);
    EXPECT_TRUE(r) << text << ": " << (r ? "" : r.error());
    return r ? *r : InputSpec{};
}

std::string error_of(std::string_view text) {
    auto r = parse_input_spec(text);
    EXPECT_FALSE(r) << text << " parsed";
    return r ? "" : r.error();
}

template <typename T>
const T& signal_of(const InputSpec& spec) {
    return std::get<T>(std::get<TestInput>(spec).signal);
}

TEST(ProgramInputSpec, ClickTrackWithAndWithoutBpm) {
    EXPECT_EQ(signal_of<ClickTrack>(parsed("test:click")).bpm, 120.0);
    EXPECT_EQ(signal_of<ClickTrack>(parsed("test:click:128")).bpm, 128.0);
    EXPECT_EQ(signal_of<ClickTrack>(parsed("test:click:87.5")).bpm, 87.5);
    EXPECT_EQ(signal_of<ClickTrack>(parsed(default_input)).bpm, 120.0);
}

TEST(ProgramInputSpec, SineNoiseSilence) {
    // Held in a variable: a reference into parsed(...)'s temporary would dangle after this line
    // (AddressSanitizer's stack-use-after-scope found it in the first version of this test).
    const InputSpec spec = parsed("test:sine:440:-12");
    const Sine sine = signal_of<Sine>(spec);
    EXPECT_EQ(sine.frequency_hz, 440.0);
    EXPECT_EQ(sine.peak_dbfs, -12.0);
    EXPECT_EQ(signal_of<Sine>(parsed("test:sine")).frequency_hz, 1000.0);
    EXPECT_EQ(signal_of<Sine>(parsed("test:sine:50")).peak_dbfs, -6.0);
    EXPECT_EQ(signal_of<Noise>(parsed("test:noise")).colour, NoiseColour::pink);
    EXPECT_EQ(signal_of<Noise>(parsed("test:noise:white")).colour, NoiseColour::white);
    EXPECT_EQ(signal_of<Noise>(parsed("test:noise:pink:-30")).rms_dbfs, -30.0);
    EXPECT_TRUE(std::holds_alternative<Silence>(std::get<TestInput>(parsed("test:silence")).signal));
}

TEST(ProgramInputSpec, FileStdinPulseAlsa) {
    EXPECT_EQ(std::get<FileInput>(parsed("file:/srv/a b:c.wav")).path, "/srv/a b:c.wav");
    EXPECT_TRUE(std::holds_alternative<StdinInput>(parsed("stdin")));
    EXPECT_EQ(std::get<PulseInput>(parsed("pulse")).source, "");
    EXPECT_EQ(std::get<PulseInput>(parsed("pulse:alsa_output.pci.monitor")).source, "alsa_output.pci.monitor");
    EXPECT_EQ(std::get<AlsaInput>(parsed("alsa")).device, "default");
    EXPECT_EQ(std::get<AlsaInput>(parsed("alsa:plughw:CARD=PCH,DEV=0")).device, "plughw:CARD=PCH,DEV=0");
}

TEST(ProgramInputSpec, Errors) {
    EXPECT_EQ(error_of("test:click:fast"), "'test:click:fast': BPM must be a number, got 'fast'");
    EXPECT_EQ(error_of("test:click:0"), "'test:click:0': BPM must be in 1–1000, got 0");
    EXPECT_EQ(error_of("test:click:120:4"), "'test:click:120:4': test:click takes at most 1 field");
    EXPECT_EQ(error_of("test:sine:1:2:3"), "'test:sine:1:2:3': test:sine takes at most 2 fields");
    EXPECT_EQ(error_of("test:sine:440:3"), "'test:sine:440:3': DBFS must be in -120–0, got 3");
    EXPECT_EQ(error_of("test:noise:brown"), "'test:noise:brown': the noise colour is pink or white, got 'brown'");
    EXPECT_EQ(error_of("test:silence:1"), "'test:silence:1': test:silence takes no fields");
    EXPECT_EQ(error_of("test:chirp"), "'test:chirp': expected test:click, test:sine, test:noise or test:silence");
    EXPECT_EQ(error_of("test"), "'test': expected test:click, test:sine, test:noise or test:silence");
    EXPECT_EQ(error_of("file:"), "'file:': expected file:PATH");
    EXPECT_EQ(error_of("stdin:2"), "'stdin:2': stdin takes no fields (see --channels and --sample-rate)");
    EXPECT_EQ(error_of("pulse:"), "'pulse:': expected pulse or pulse:SOURCE");
    EXPECT_EQ(error_of("alsa:"), "'alsa:': expected alsa or alsa:DEVICE");
    EXPECT_NE(error_of("jack").find("'jack': expected test:click[:BPM]"), std::string::npos);
    EXPECT_NE(error_of("").find("'': expected"), std::string::npos);
}

TEST(ProgramInputSpec, DescribeWritesDefaultsOutAndParsesBack) {
    EXPECT_EQ(describe(parsed("test:click")), "test:click:120");
    EXPECT_EQ(describe(parsed("test:sine")), "test:sine:1000:-6");
    EXPECT_EQ(describe(parsed("test:noise:white")), "test:noise:white:-20");
    EXPECT_EQ(describe(parsed("test:click:87.5")), "test:click:87.5");
    EXPECT_EQ(describe(parsed("alsa")), "alsa:default");
    for (const char* text : {"test:click:120", "test:sine:440:-12", "test:noise:pink:-20", "test:silence", "file:/a.wav", "stdin",
                             "pulse", "pulse:x.monitor", "alsa:hw:1,0"}) {
        EXPECT_EQ(describe(parsed(text)), text);
        EXPECT_EQ(describe(parsed(describe(parsed(text)))), text);
    }
}

}  // namespace
}  // namespace vj::audio::program
