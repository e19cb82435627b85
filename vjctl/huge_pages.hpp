// Memory for vjctl's few large blocks in transparent huge pages: one page fault per 2 MiB.
#pragma once

#include <cstddef>
#include <limits>
#include <memory>
#include <new>

namespace vj::vjctl {

/// Page faults are most of what a large reply costs vjctl on a VM: each costs ~20 µs there, and a
/// 3 MB status reply with what is read out of it filled ~1,300 fresh pages. A transparent huge page
/// is one fault per 2 MiB. Blocks of at least this many bytes get mappings of their own for that.
inline constexpr std::size_t huge_block_bytes = 256 * 1024;

/// The size of the mapping that map_huge makes for `bytes`: whole 2 MiB pages.
std::size_t huge_mapping_size(std::size_t bytes);

/// A private anonymous mapping of huge_mapping_size(bytes), 2 MiB-aligned, with MADV_HUGEPAGE
/// advice (only advice: where transparent huge pages are off, 4 KiB pages back it as usual).
/// Throws std::bad_alloc.
void* map_huge(std::size_t bytes);

/// Unmaps what map_huge(bytes) returned.
void unmap_huge(void* block, std::size_t bytes) noexcept;

/// A std::allocator whose blocks of huge_block_bytes or more come from map_huge.
template <class T>
struct HugePageAllocator {
    using value_type = T;

    HugePageAllocator() = default;
    template <class U>
    HugePageAllocator(const HugePageAllocator<U>&) noexcept {}

    T* allocate(std::size_t n) {
        if (n > std::numeric_limits<std::size_t>::max() / sizeof(T)) {
            throw std::bad_array_new_length();
        }
        return n * sizeof(T) < huge_block_bytes ? std::allocator<T>().allocate(n) : static_cast<T*>(map_huge(n * sizeof(T)));
    }
    void deallocate(T* block, std::size_t n) noexcept {
        if (n * sizeof(T) < huge_block_bytes) {
            std::allocator<T>().deallocate(block, n);
        } else {
            unmap_huge(block, n * sizeof(T));
        }
    }

    template <class U>
    bool operator==(const HugePageAllocator<U>&) const noexcept {
        return true;
    }
};

}  // namespace vj::vjctl
