// A deterministic stand-in for libFuzzer that any compiler builds: runs the fuzz entry over the
// seed corpus, then over seeded random mutations of it, for a bounded count and time.
// Usage: fuzz_osc_decoder_smoke CORPUS_DIR [MUTATIONS [SECONDS]]
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "sdk/osc.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

using Bytes = std::vector<std::uint8_t>;

// Values that sit on the decoder's edges: sizes, signs, the bytes that start atoms and tags.
constexpr std::uint8_t interesting_bytes[] = {0, 1, 3, 4, 0x7f, 0x80, 0xff, '/', '#', ',', '[', ']', 'b', 's', 'S', 'i', 't', 'x'};
constexpr std::uint32_t interesting_words[] = {0, 1, 3, 4, 8, 12, 16, 0x7fffffff, 0x80000000, 0xfffffffc, 0xffffffff};

void mutate(Bytes& b, std::mt19937_64& rng) {
    const auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
    switch (pick(7)) {
    case 0:  // flip a bit
        if (!b.empty()) b[pick(b.size())] ^= static_cast<std::uint8_t>(1u << pick(8));
        break;
    case 1:  // an interesting byte
        if (!b.empty()) b[pick(b.size())] = interesting_bytes[pick(std::size(interesting_bytes))];
        break;
    case 2:  // an interesting big-endian word at an aligned offset
        if (b.size() >= 4) {
            const std::size_t at = pick(b.size() / 4) * 4;
            const std::uint32_t w = interesting_words[pick(std::size(interesting_words))];
            for (int k = 0; k < 4; ++k) b[at + static_cast<std::size_t>(k)] = static_cast<std::uint8_t>(w >> (24 - 8 * k));
        }
        break;
    case 3:  // cut the end
        b.resize(pick(b.size() + 1));
        break;
    case 4: {  // insert four bytes
        const std::size_t at = pick(b.size() + 1);
        b.insert(b.begin() + static_cast<std::ptrdiff_t>(at), 4, interesting_bytes[pick(std::size(interesting_bytes))]);
        break;
    }
    case 5:  // remove four bytes
        if (b.size() >= 4) {
            const std::size_t at = pick(b.size() - 3);
            b.erase(b.begin() + static_cast<std::ptrdiff_t>(at), b.begin() + static_cast<std::ptrdiff_t>(at + 4));
        }
        break;
    default: {  // repeat a chunk (nesting, long tag strings)
        if (b.empty() || b.size() > 4096) break;
        const std::size_t from = pick(b.size());
        const std::size_t length = 1 + pick(std::min<std::size_t>(64, b.size() - from));
        const Bytes chunk(b.begin() + static_cast<std::ptrdiff_t>(from),
                          b.begin() + static_cast<std::ptrdiff_t>(from + length));
        b.insert(b.begin() + static_cast<std::ptrdiff_t>(pick(b.size() + 1)), chunk.begin(), chunk.end());
    }
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s CORPUS_DIR [MUTATIONS [SECONDS]]\n", argv[0]);
        return 2;
    }
    const long mutations = argc > 2 ? std::stol(argv[2]) : 300000;
    const double seconds = argc > 3 ? std::stod(argv[3]) : 5.0;

    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(argv[1]))
        if (entry.is_regular_file()) files.push_back(entry.path());
    std::sort(files.begin(), files.end());  // directory order varies; the run must not
    std::vector<Bytes> corpus;
    for (const auto& f : files) {
        std::ifstream in(f, std::ios::binary);
        corpus.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        LLVMFuzzerTestOneInput(corpus.back().data(), corpus.back().size());
        // The seeds say what they are: valid-* must decode, bad-* must not (others, such as
        // crash inputs libFuzzer found, may go either way).
        const std::string name = f.filename().string();
        const bool decodes =
            vj::sdk::osc::decode(std::span(reinterpret_cast<const std::byte*>(corpus.back().data()), corpus.back().size()))
                .has_value();
        if ((name.starts_with("valid-") && !decodes) || (name.starts_with("bad-") && decodes)) {
            std::fprintf(stderr, "corpus file %s: decodes is %s\n", name.c_str(), decodes ? "true" : "false");
            return 1;
        }
    }
    if (corpus.empty()) {
        std::fprintf(stderr, "no corpus files in %s\n", argv[1]);
        return 1;
    }

    std::mt19937_64 rng(0x05c0de);  // fixed: the same inputs every run, in the same order
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    long done = 0;
    for (; done < mutations; ++done) {
        // The clock is read every 1024 inputs: cheap, and the bound holds under sanitizers.
        if (done % 1024 == 0 && std::chrono::steady_clock::now() > deadline) break;
        Bytes input = corpus[rng() % corpus.size()];
        const int rounds = 1 + static_cast<int>(rng() % 4);
        for (int r = 0; r < rounds; ++r) mutate(input, rng);
        LLVMFuzzerTestOneInput(input.data(), input.size());
    }
    std::printf("%zu corpus files, %ld mutations\n", corpus.size(), done);
    return 0;
}
