// The OSC decoder's fuzz entry: whatever the bytes, decode() answers without touching memory out
// of bounds, and a packet it accepts prints, re-encodes to the same bytes and decodes to itself.
// Built as a libFuzzer target with VJ_FUZZ=ON (clang), and run over a seed corpus and its
// mutations by the fuzz_osc_decoder_smoke test with any compiler.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sdk/osc.hpp"
#include "sdk/osc_pattern.hpp"

namespace {

namespace osc = vj::sdk::osc;

[[noreturn]] void broken(const char* what) {
    std::fprintf(stderr, "osc_decode_fuzz: %s\n", what);
    std::abort();
}

bool every_message_has_type_tags(const osc::Packet& p) {
    bool all = true;
    osc::for_each_message(p, [&](const osc::Message& m, std::optional<osc::TimeTag>) { all = all && m.has_type_tags; });
    return all;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
    const auto packet = osc::decode(bytes);
    if (!packet) {
        if (packet.error().offset > size) broken("error offset past the end of the packet");
        if (packet.error().message().empty()) broken("empty error message");
        return 0;
    }
    // The printer and the pattern matcher see whatever the decoder lets through.
    std::size_t printed = 0;
    osc::for_each_message(*packet, [&](const osc::Message& m, std::optional<osc::TimeTag> time) {
        printed += osc::format_message(m, time).size();
        (void)osc::pattern_matches(m.address, "/vj/audio/level");
        (void)osc::pattern_matches("//level", m.address);
    });
    const std::vector<std::byte> again = osc::encode(*packet);
    if (again.size() != osc::encoded_size(*packet)) broken("encoded_size() disagrees with encode()");
    // Strict decoding leaves no choice in the encoding: the same bytes come back, except where a
    // message without type tags had its unreadable arguments skipped.
    if (every_message_has_type_tags(*packet) &&
        (again.size() != size || !std::equal(again.begin(), again.end(), bytes.begin())))
        broken("encode(decode(bytes)) != bytes");
    const auto back = osc::decode(again);
    if (!back) broken("a re-encoded packet does not decode");
    if (!(*back == *packet)) broken("decode(encode(x)) != x");
    (void)printed;
    return 0;
}
