// A growable byte buffer for what vjctl reads from the control socket, and for a reply line it keeps.
#pragma once

#include <cstddef>
#include <string_view>

namespace vj::vjctl {

/// Bytes in one block that grows without being faulted in twice. A `status` reply with 10,000
/// services is ~3 MB, and a fresh page costs ~20 µs to fault in on a VM: std::string's growth
/// (copying into new blocks) touched ~1,750 pages for it, ~35 ms.
///
/// Small buffers live in a realloc(3) block. From huge_block_bytes on, the bytes move once into a
/// map_huge mapping (huge_pages.hpp), reserved generously so that it seldom moves again.
/// Move-only; a moved-from buffer is empty.
class LineBuffer {
public:
    LineBuffer() = default;
    /// A buffer holding a copy of `bytes`. Throws std::bad_alloc.
    explicit LineBuffer(std::string_view bytes);
    LineBuffer(LineBuffer&& other) noexcept;
    LineBuffer& operator=(LineBuffer&& other) noexcept;
    LineBuffer(const LineBuffer&) = delete;
    LineBuffer& operator=(const LineBuffer&) = delete;
    ~LineBuffer();

    const char* data() const { return data_; }
    std::size_t size() const { return size_; }
    std::string_view view() const { return {data_, size_}; }

    /// Room for at least `n` more bytes after the end; returns where they go (valid until the next
    /// call that changes the buffer). Throws std::bad_alloc.
    char* prepare(std::size_t n);
    /// Counts `n` bytes written at prepare()'s pointer as part of the buffer. Precondition: n is at
    /// most what was prepared.
    void commit(std::size_t n);
    /// Drops the first `n` bytes (n <= size()).
    void consume(std::size_t n);
    /// Keeps the first `n` bytes (n <= size()).
    void truncate(std::size_t n);

private:
    void release() noexcept;

    char* data_ = nullptr;
    std::size_t size_ = 0;
    std::size_t capacity_ = 0;
    bool mapped_ = false;  ///< data_ is map_huge(capacity_), not a malloc block
};

}  // namespace vj::vjctl
