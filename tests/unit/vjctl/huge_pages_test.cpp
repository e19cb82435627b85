// Tests the allocator that puts vjctl's large arrays in huge-page mappings.
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "huge_pages.hpp"

namespace vj::vjctl {
namespace {

TEST(HugePageAllocator, LargeArraysGrowAndKeepTheirElements) {
    std::vector<std::uint64_t, HugePageAllocator<std::uint64_t>> numbers;
    for (std::uint64_t i = 0; i < 3 * huge_block_bytes / sizeof(std::uint64_t); ++i) {
        numbers.push_back(i * 7);  // through heap blocks, then mappings of their own
    }
    for (std::size_t i = 0; i < numbers.size(); i += 4099) {
        EXPECT_EQ(numbers[i], i * 7);
    }
    EXPECT_EQ(huge_mapping_size(1), 2u * 1024 * 1024);
    EXPECT_EQ(huge_mapping_size(2u * 1024 * 1024 + 1), 4u * 1024 * 1024);
}

}  // namespace
}  // namespace vj::vjctl
