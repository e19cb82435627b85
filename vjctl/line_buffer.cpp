// A growable byte buffer for what vjctl reads from the control socket, and for a reply line it keeps.
#include "line_buffer.hpp"

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <utility>

#include "huge_pages.hpp"

namespace vj::vjctl {

LineBuffer::LineBuffer(std::string_view bytes) {
    if (!bytes.empty()) {
        std::memcpy(prepare(bytes.size()), bytes.data(), bytes.size());
        commit(bytes.size());
    }
}

LineBuffer::LineBuffer(LineBuffer&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      capacity_(std::exchange(other.capacity_, 0)),
      mapped_(std::exchange(other.mapped_, false)) {}

LineBuffer& LineBuffer::operator=(LineBuffer&& other) noexcept {
    if (this != &other) {
        release();
        data_ = std::exchange(other.data_, nullptr);
        size_ = std::exchange(other.size_, 0);
        capacity_ = std::exchange(other.capacity_, 0);
        mapped_ = std::exchange(other.mapped_, false);
    }
    return *this;
}

LineBuffer::~LineBuffer() { release(); }

void LineBuffer::release() noexcept {
    if (mapped_) {
        unmap_huge(data_, capacity_);
    } else {
        std::free(data_);
    }
}

char* LineBuffer::prepare(std::size_t n) {
    if (capacity_ - size_ >= n) {
        return data_ + size_;
    }
    // Doubling keeps appends amortised linear.
    const auto wanted = std::max({capacity_ * 2, size_ + n, std::size_t{256}});
    if (wanted < huge_block_bytes) {
        auto* grown = static_cast<char*>(std::realloc(data_, wanted));
        if (grown == nullptr) {
            throw std::bad_alloc();
        }
        data_ = grown;
        capacity_ = wanted;
        return data_ + size_;
    }
    // Reserved generously (16 MiB, or four times over): address space is cheap, pages never
    // written cost nothing, and a reply of up to 16 MiB then never moves again.
    const auto bytes = huge_mapping_size(std::max(wanted * 4, std::size_t{16} * 1024 * 1024));
    auto* mapped = static_cast<char*>(map_huge(bytes));
    if (size_ > 0) {
        std::memcpy(mapped, data_, size_);
    }
    release();
    data_ = mapped;
    capacity_ = bytes;
    mapped_ = true;
    return data_ + size_;
}

void LineBuffer::commit(std::size_t n) {
    assert(n <= capacity_ - size_);
    size_ += n;
}

void LineBuffer::consume(std::size_t n) {
    assert(n <= size_);
    if (n > 0) {
        std::memmove(data_, data_ + n, size_ - n);
        size_ -= n;
    }
}

void LineBuffer::truncate(std::size_t n) {
    assert(n <= size_);
    size_ = n;
}

}  // namespace vj::vjctl
