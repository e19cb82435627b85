// Properties of the OSC codec over random packets of every type: decode(encode(x)) == x, sizes,
// and a decoder that rejects (never crashes on) cut or damaged encodings.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <bit>
#include <string>
#include <vector>

#include "sdk/osc.hpp"

namespace vj::sdk::osc {
namespace {

std::string any_string() {
    // No NUL (the wire cannot carry one); every other byte, so invalid UTF-8 too.
    const int n = *rc::gen::inRange(0, 24);
    std::string s;
    for (int i = 0; i < n; ++i) s += static_cast<char>(*rc::gen::inRange(1, 256));
    return s;
}

TimeTag any_time() {
    if (*rc::gen::inRange(0, 4) == 0) return TimeTag::immediately();
    return TimeTag{*rc::gen::arbitrary<std::uint64_t>()};
}

Value any_value(int depth) {
    switch (*rc::gen::inRange(0, depth > 0 ? 16 : 15)) {
    case 0: return *rc::gen::arbitrary<std::int32_t>();
    case 1: return std::bit_cast<float>(*rc::gen::arbitrary<std::uint32_t>());  // NaNs and infinities too
    case 2: return any_string();
    case 3: {
        Blob b;
        const int n = *rc::gen::inRange(0, 40);
        for (int i = 0; i < n; ++i) b.bytes.push_back(std::byte(*rc::gen::arbitrary<std::uint8_t>()));
        return b;
    }
    case 4: return *rc::gen::arbitrary<std::int64_t>();
    case 5: return any_time();
    case 6: return std::bit_cast<double>(*rc::gen::arbitrary<std::uint64_t>());
    case 7: return Symbol{any_string()};
    case 8: return Char{*rc::gen::arbitrary<std::uint32_t>()};
    case 9: {
        const auto c = *rc::gen::arbitrary<std::uint32_t>();
        return Rgba{std::uint8_t(c >> 24), std::uint8_t(c >> 16), std::uint8_t(c >> 8), std::uint8_t(c)};
    }
    case 10: {
        const auto c = *rc::gen::arbitrary<std::uint32_t>();
        return Midi{std::uint8_t(c >> 24), std::uint8_t(c >> 16), std::uint8_t(c >> 8), std::uint8_t(c)};
    }
    case 11: return true;
    case 12: return false;
    case 13: return Nil{};
    case 14: return Impulse{};
    default: {
        Array items;
        const int n = *rc::gen::inRange(0, 4);
        for (int i = 0; i < n; ++i) items.push_back(any_value(depth - 1));
        return items;
    }
    }
}

Message any_message() {
    // insert(), not "/" + ...: GCC 12 at -O3 warns (-Wrestrict, a false positive) on that.
    Message m{any_string().insert(0, 1, '/'), {}};
    if (*rc::gen::inRange(0, 20) == 0) {
        m.has_type_tags = false;  // a pre-1.0 sender: an address alone
        return m;
    }
    const int n = *rc::gen::inRange(0, 8);
    for (int i = 0; i < n; ++i) m.args.push_back(any_value(3));
    return m;
}

// Nested bundles are never earlier than their parent: the decoder rejects those on purpose.
Bundle any_bundle(int depth, TimeTag parent) {
    Bundle b;
    if (*rc::gen::inRange(0, 3) == 0 || parent.bits == ~std::uint64_t{0}) {
        b.time = parent.is_immediate() ? any_time() : TimeTag::immediately();
    } else {
        b.time = parent.is_immediate() ? any_time() : TimeTag{*rc::gen::inRange(parent.bits, ~std::uint64_t{0})};
    }
    const int n = *rc::gen::inRange(0, 4);
    for (int i = 0; i < n; ++i) {
        if (depth > 0 && *rc::gen::inRange(0, 3) == 0)
            b.elements.push_back(any_bundle(depth - 1, b.time.is_immediate() ? parent : b.time));
        else b.elements.push_back(any_message());
    }
    return b;
}

Packet any_packet() {
    if (*rc::gen::arbitrary<bool>()) return any_message();
    return any_bundle(3, TimeTag::immediately());
}

std::string show(const Packet& p) {
    std::string out;
    for (const std::string& line : format_packet(p)) out += line + "\n";
    return out;
}

RC_GTEST_PROP(OscRoundTrip, DecodeOfEncodeIsTheSamePacket, ()) {
    const Packet p = any_packet();
    const std::vector<std::byte> wire = encode(p);
    RC_ASSERT(wire.size() % 4 == 0);
    RC_ASSERT(wire.size() == encoded_size(p));
    const auto back = decode(wire);
    if (!back) RC_FAIL("decode failed: " + back.error().message() + "\n" + show(p));
    if (!(*back == p)) RC_FAIL("round trip changed the packet:\n" + show(p) + "became\n" + show(*back));
    RC_ASSERT(format_packet(*back) == format_packet(p));
}

RC_GTEST_PROP(OscRoundTrip, EncodeToAppendsTheSameBytes, ()) {
    const Packet a = any_packet();
    const Packet b = any_packet();
    std::vector<std::byte> buffer;
    encode_to(buffer, a);
    encode_to(buffer, b);
    std::vector<std::byte> expected = encode(a);
    const std::vector<std::byte> second = encode(b);
    expected.insert(expected.end(), second.begin(), second.end());
    RC_ASSERT(buffer == expected);
}

RC_GTEST_PROP(OscRoundTrip, CutPacketsAreRejectedNotMisread, ()) {
    const Packet p = any_packet();
    const std::vector<std::byte> wire = encode(p);
    const auto cut = static_cast<std::size_t>(*rc::gen::inRange<std::size_t>(0, wire.size()));
    const std::vector<std::byte> prefix(wire.begin(), wire.begin() + static_cast<std::ptrdiff_t>(cut));
    const auto r = decode(prefix);
    // A prefix can only decode when it is itself a whole packet: a bundle cut between
    // elements, or a message whose type tags were cut off whole.
    if (r) RC_ASSERT(encode(*r).size() <= wire.size());
    else RC_ASSERT(r.error().offset <= prefix.size());
}

RC_GTEST_PROP(OscRoundTrip, DamagedPacketsNeverCrashTheDecoder, ()) {
    std::vector<std::byte> wire = encode(any_packet());
    const int flips = *rc::gen::inRange(1, 6);
    for (int i = 0; i < flips; ++i) {
        const auto at = *rc::gen::inRange<std::size_t>(0, wire.size());
        wire[at] = std::byte(*rc::gen::arbitrary<std::uint8_t>());
    }
    const auto r = decode(wire);
    if (r) {
        // Whatever decodes must survive a round trip of its own.
        const auto again = decode(encode(*r));
        RC_ASSERT(again.has_value());
        RC_ASSERT(*again == *r);
    } else {
        RC_ASSERT(r.error().offset <= wire.size());
        RC_ASSERT(!r.error().message().empty());
    }
}

}  // namespace
}  // namespace vj::sdk::osc
