// Tests the buffer that vjctl reads replies into: growth from the heap into a mapping, and its edits.
#include <cstring>
#include <string>

#include <gtest/gtest.h>

#include "huge_pages.hpp"
#include "line_buffer.hpp"

namespace vj::vjctl {
namespace {

TEST(LineBuffer, GrowsPastTheHeapAndKeepsItsBytes) {
    LineBuffer buffer;
    std::string expected;
    for (int i = 0; expected.size() < 3 * huge_block_bytes; ++i) {
        const auto piece = std::to_string(i) + ",";
        std::memcpy(buffer.prepare(piece.size()), piece.data(), piece.size());
        buffer.commit(piece.size());
        expected += piece;
    }
    EXPECT_EQ(buffer.view(), expected);
    buffer.consume(3);
    buffer.truncate(buffer.size() - 2);
    EXPECT_EQ(buffer.view(), expected.substr(3, expected.size() - 5));

    LineBuffer moved(std::move(buffer));
    EXPECT_EQ(moved.view(), expected.substr(3, expected.size() - 5));
    EXPECT_EQ(buffer.size(), 0u);  // a moved-from buffer is empty
    buffer = std::move(moved);
    EXPECT_EQ(buffer.size(), expected.size() - 5);
    EXPECT_EQ(LineBuffer(std::string_view()).size(), 0u);
    EXPECT_EQ(LineBuffer("abc").view(), "abc");
}

}  // namespace
}  // namespace vj::vjctl
