// The line splitter gives the same lines however the stream is chunked, and loses no byte.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "core/line_splitter.hpp"

namespace vj::core {
namespace {

struct Out {
    std::string line;
    bool complete;
    bool operator==(const Out&) const = default;
};

std::vector<Out> split(const std::string& data, const std::vector<std::size_t>& cuts, std::size_t max_line,
                       std::string* rest) {
    LineSplitter s(max_line);
    std::vector<Out> out;
    std::size_t at = 0;
    for (auto cut : cuts) {
        const auto n = std::min(cut, data.size() - at);
        s.feed(std::string_view(data).substr(at, n), [&](std::string_view l, bool c) { out.push_back({std::string(l), c}); });
        at += n;
    }
    s.feed(std::string_view(data).substr(at), [&](std::string_view l, bool c) { out.push_back({std::string(l), c}); });
    *rest = std::string(s.pending());
    return out;
}

RC_GTEST_PROP(LineSplitter, ChunkingIndependentAndLossless, ()) {
    const auto data = *rc::gen::container<std::string>(rc::gen::element('a', 'b', '\n', '\0', '\xff'));
    const auto cuts = *rc::gen::container<std::vector<std::size_t>>(rc::gen::inRange<std::size_t>(0, 20));
    const std::size_t max_line = *rc::gen::inRange<std::size_t>(1, 12);
    std::string rest_whole, rest_chunked;
    const auto whole = split(data, {}, max_line, &rest_whole);
    const auto chunked = split(data, cuts, max_line, &rest_chunked);
    RC_ASSERT(whole == chunked);
    RC_ASSERT(rest_whole == rest_chunked);
    // Every byte comes back: lines joined with their newlines (pieces without) plus the rest.
    std::string joined;
    for (const auto& o : whole) {
        RC_ASSERT(o.line.size() <= max_line);
        joined += o.line;
        if (o.complete) joined += '\n';
    }
    RC_ASSERT(joined + rest_whole == data);
}

TEST(LineSplitter, LongLineComesInPiecesThenItsEnd) {
    LineSplitter s(4);
    std::vector<Out> out;
    s.feed("abcdefghij\nxy", [&](std::string_view l, bool c) { out.push_back({std::string(l), c}); });
    EXPECT_EQ(out, (std::vector<Out>{{"abcd", false}, {"efgh", false}, {"ij", true}}));
    EXPECT_EQ(s.pending(), "xy");
}

}  // namespace
}  // namespace vj::core
