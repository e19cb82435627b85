// Memory for vjctl's few large blocks in transparent huge pages: one page fault per 2 MiB.
#include "huge_pages.hpp"

#include <cstdint>

#include <sys/mman.h>

namespace vj::vjctl {
namespace {

constexpr std::size_t huge_page = 2 * 1024 * 1024;

}  // namespace

std::size_t huge_mapping_size(std::size_t bytes) { return (bytes + huge_page - 1) / huge_page * huge_page; }

void* map_huge(std::size_t bytes) {
    const auto size = huge_mapping_size(bytes);
    // mmap(2) aligns to 4 KiB only: map one huge page more, then give back the ends.
    const auto span = size + huge_page;
    void* raw = ::mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) {
        throw std::bad_alloc();
    }
    const auto start = reinterpret_cast<std::uintptr_t>(raw);
    const auto aligned = (start + huge_page - 1) / huge_page * huge_page;
    if (aligned > start) {
        ::munmap(raw, aligned - start);
    }
    if (const auto end = aligned + size; start + span > end) {
        ::munmap(reinterpret_cast<void*>(end), start + span - end);
    }
    auto* block = reinterpret_cast<void*>(aligned);
    // Failing (no transparent huge pages in this kernel) only means 4 KiB pages.
    ::madvise(block, size, MADV_HUGEPAGE);
    return block;
}

void unmap_huge(void* block, std::size_t bytes) noexcept { ::munmap(block, huge_mapping_size(bytes)); }

}  // namespace vj::vjctl
