// vj-audio's OSC addresses: defaults under the prefix, --map parsing and rule application.
#include <gtest/gtest.h>

#include "audio-analyzer/program/output_map.hpp"

namespace vj::audio::program {
namespace {

std::size_t at(Output o) { return static_cast<std::size_t>(o); }

TEST(ProgramOutputMap, DefaultsAreThePrefixAndTheName) {
    const Addresses a = default_addresses("/vj/audio");
    EXPECT_EQ(a[at(Output::level)], "/vj/audio/level");
    EXPECT_EQ(a[at(Output::midhigh)], "/vj/audio/midhigh");
    EXPECT_EQ(a[at(Output::bands)], "/vj/audio/bands");
    EXPECT_EQ(a[at(Output::bpm)], "/vj/audio/bpm");
    for (std::size_t i = 0; i < output_count; ++i) EXPECT_EQ(output_named(output_names[i]), static_cast<Output>(i));
    EXPECT_EQ(output_named("loud"), std::nullopt);
}

TEST(ProgramOutputMap, AddressAndPrefixChecks) {
    EXPECT_EQ(check_address("/composition/layers/1/video/opacity"), std::nullopt);
    EXPECT_EQ(check_address("composition"), "'composition' does not start with '/'");
    EXPECT_EQ(check_address(""), "'' does not start with '/'");
    EXPECT_EQ(check_address("/a b"), "'/a b' holds a space or a control character");
    EXPECT_EQ(check_address("/a/*"), "'/a/*' holds '*', which OSC reserves for patterns");
    EXPECT_EQ(check_address("/a{b}"), "'/a{b}' holds '{', which OSC reserves for patterns");
    EXPECT_EQ(check_prefix("/vj/audio"), std::nullopt);
    EXPECT_EQ(check_prefix("/vj/audio/"), "'/vj/audio/' ends with '/'");
    EXPECT_EQ(check_prefix("/"), "'/' ends with '/'");
}

TEST(ProgramOutputMap, ParsesTargetAndRules) {
    auto m = parse_map("127.0.0.1:7000,bass=/composition/layers/1/video/opacity,beat=-,*=-");
    ASSERT_TRUE(m) << m.error();
    EXPECT_EQ(m->target, "127.0.0.1:7000");
    ASSERT_EQ(m->rules.size(), 3u);
    EXPECT_EQ(m->rules[0], (MapRule{Output::bass, "/composition/layers/1/video/opacity"}));
    EXPECT_EQ(m->rules[1], (MapRule{Output::beat, std::nullopt}));
    EXPECT_EQ(m->rules[2], (MapRule{std::nullopt, std::nullopt}));
    auto v6 = parse_map("[::1]:9000,level=/x");
    ASSERT_TRUE(v6);
    EXPECT_EQ(v6->target, "[::1]:9000");
}

TEST(ProgramOutputMap, ParseErrors) {
    auto error = [](std::string_view text) {
        auto m = parse_map(text);
        return m ? std::string("parsed") : m.error();
    };
    EXPECT_EQ(error("127.0.0.1:7000"), "'127.0.0.1:7000': no NAME=ADDRESS after the target");
    EXPECT_EQ(error(",bass=/a"), "',bass=/a': expected HOST:PORT,NAME=ADDRESS[,NAME=ADDRESS...]");
    EXPECT_EQ(error("h:1,bass"), "'h:1,bass': expected NAME=ADDRESS or NAME=-, got 'bass'");
    EXPECT_EQ(error("h:1,bass=/a,"), "'h:1,bass=/a,': expected NAME=ADDRESS or NAME=-, got ''");
    EXPECT_EQ(error("h:1,loud=/a"),
              "'h:1,loud=/a': unknown output 'loud' (level, bass, mid, midhigh, high, bands, onset, beat, bpm or *)");
    EXPECT_EQ(error("h:1,*=/a"), "'h:1,*=/a': '*' can only be dropped ('*=-')");
    EXPECT_EQ(error("h:1,bass=a"), "'h:1,bass=a': bass: 'a' does not start with '/'");
}

TEST(ProgramOutputMap, RulesReplaceDropAndStar) {
    const Addresses defaults = default_addresses("/vj/audio");
    auto a = apply_rules(defaults, {{Output::bass, "/res/bass"}, {Output::onset, std::nullopt}});
    ASSERT_TRUE(a);
    EXPECT_EQ((*a)[at(Output::bass)], "/res/bass");
    EXPECT_EQ((*a)[at(Output::onset)], std::nullopt);
    EXPECT_EQ((*a)[at(Output::level)], "/vj/audio/level");

    // "*=-" drops everything no rule names, wherever it stands.
    auto only =
        apply_rules(defaults, {{std::nullopt, std::nullopt}, {Output::level, "/opacity"}, {Output::beat, "/vj/audio/beat"}});
    ASSERT_TRUE(only);
    for (std::size_t i = 0; i < output_count; ++i) {
        const auto o = static_cast<Output>(i);
        if (o == Output::level) EXPECT_EQ((*only)[i], "/opacity");
        else if (o == Output::beat) EXPECT_EQ((*only)[i], "/vj/audio/beat");
        else EXPECT_EQ((*only)[i], std::nullopt) << output_names[i];
    }

    EXPECT_EQ(*apply_rules(defaults, {}), defaults);
    auto twice = apply_rules(defaults, {{Output::bass, "/a"}, {Output::bass, std::nullopt}});
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error(), "bass is mapped twice");
    auto stars = apply_rules(defaults, {{std::nullopt, std::nullopt}, {std::nullopt, std::nullopt}});
    ASSERT_FALSE(stars);
    EXPECT_EQ(stars.error(), "'*' is given twice");
}

}  // namespace
}  // namespace vj::audio::program
