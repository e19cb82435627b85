// The OSC 1.0 codec: a value model for messages and bundles, a byte-exact encoder, a strict
// decoder that reports what is wrong and where, and a one-line printer. Pure: no I/O, no clock.
//
// Wire format (OSC 1.0 spec, OSC 1.1 NIME paper; summary in VJ-NOTES §1): big-endian atoms,
// every atom padded to a multiple of 4 bytes; a message is an address string, a type-tag
// string starting with ',' and the arguments; a bundle is "#bundle", a timetag and elements
// each prefixed by its size.
#pragma once

#include <chrono>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>

namespace vj::sdk::osc {

/// An OSC timetag: NTP fixed point, seconds since 1900-01-01 UTC in the upper 32 bits and the
/// fraction of a second (units of 2^-32 s) in the lower 32. The value 1 means "immediately".
struct TimeTag {
    std::uint64_t bits = 1;

    static constexpr TimeTag immediately() { return TimeTag{1}; }
    static constexpr TimeTag from_parts(std::uint32_t seconds, std::uint32_t fraction) {
        return TimeTag{(std::uint64_t{seconds} << 32) | fraction};
    }
    /// The wall-clock time `t` as a timetag, truncated to the nearest 2^-32 s below. Times are
    /// mapped with the RFC 4330 convention, so that 2036-02-07 onwards (NTP era 1) works:
    /// representable are 1968-01-20 to 2104-02-26.
    static TimeTag from_time_point(std::chrono::system_clock::time_point t);

    constexpr std::uint32_t seconds() const { return static_cast<std::uint32_t>(bits >> 32); }
    constexpr std::uint32_t fraction() const { return static_cast<std::uint32_t>(bits); }
    constexpr bool is_immediate() const { return bits == 1; }
    /// The wall-clock time this timetag names (RFC 4330: a seconds field with its top bit clear
    /// is in era 1, 2036 onwards). "Immediately" converts like any other value (1900 or 2036 +
    /// 233 ps); test is_immediate() first. Fractions are truncated to the clock's resolution.
    std::chrono::system_clock::time_point to_time_point() const;

    friend constexpr auto operator<=>(TimeTag, TimeTag) = default;
};

/// 'b': an OSC-blob, any bytes.
struct Blob {
    std::vector<std::byte> bytes;
    friend bool operator==(const Blob&, const Blob&) = default;
};
/// 'S': the "alternate string" (symbol); same encoding as 's', kept apart so it round-trips.
struct Symbol {
    std::string text;
    friend bool operator==(const Symbol&, const Symbol&) = default;
};
/// 'c': a character sent as 32 bits. The whole 32-bit value is kept (senders put ASCII, some
/// Latin-1 or a code point, in the low bits).
struct Char {
    std::uint32_t code = 0;
    friend constexpr bool operator==(Char, Char) = default;
};
/// 'r': a 32-bit RGBA colour, red in the most significant byte.
struct Rgba {
    std::uint8_t r = 0, g = 0, b = 0, a = 0;
    friend constexpr bool operator==(Rgba, Rgba) = default;
};
/// 'm': a 4-byte MIDI message: port id, status byte, data1, data2 (most significant first).
struct Midi {
    std::uint8_t port = 0, status = 0, data1 = 0, data2 = 0;
    friend constexpr bool operator==(Midi, Midi) = default;
};
/// 'N': nil (OSC 1.1 "Null"). No payload.
struct Nil {
    friend constexpr bool operator==(Nil, Nil) = default;
};
/// 'I': infinitum (OSC 1.1 "Impulse", a bang). No payload.
struct Impulse {
    friend constexpr bool operator==(Impulse, Impulse) = default;
};

struct Value;
/// '[' ... ']': an array; the tags between the brackets are its elements. Arrays nest.
using Array = std::vector<Value>;

/// The alternatives of Value, in this order: i f s b h t d S c r m T/F N I [..].
using ValueVariant = std::variant<std::int32_t, float, std::string, Blob, std::int64_t, TimeTag, double, Symbol, Char,
                                  Rgba, Midi, bool, Nil, Impulse, Array>;

/// One OSC argument. The type tag follows from the alternative held: int32 'i', float 'f',
/// std::string 's', Blob 'b', int64 'h', TimeTag 't', double 'd', Symbol 'S', Char 'c',
/// Rgba 'r', Midi 'm', bool 'T'/'F', Nil 'N', Impulse 'I', Array '[' ... ']'.
/// Strings ('s', 'S') must not contain NUL bytes: the encoder writes them up to the first NUL.
struct Value : ValueVariant {
    using ValueVariant::ValueVariant;
    using ValueVariant::operator=;
    /// Wire equality: the same alternative and the same bits, so floats compare by their bit
    /// pattern (a NaN equals the same NaN; 0.0 and -0.0 differ), which is what a round trip
    /// through the codec preserves.
    friend bool operator==(const Value& a, const Value& b);
};

/// The type tag of `v` ('[' for an array; 'T' or 'F' for a bool).
char type_tag(const Value& v);

/// An OSC message.
struct Message {
    std::string address;  ///< starts with '/'; no NUL bytes
    std::vector<Value> args;
    /// False for a message that came without a type-tag string (a very old sender); it has no
    /// args, and encoding it writes the address alone. See decode().
    bool has_type_tags = true;
    friend bool operator==(const Message&, const Message&) = default;
};

struct Bundle;
/// What one UDP datagram carries: a message or a bundle.
using Packet = std::variant<Message, Bundle>;

/// An OSC bundle: a timetag and elements, each a message or a nested bundle, in packet order.
struct Bundle {
    TimeTag time = TimeTag::immediately();
    std::vector<Packet> elements;
    friend bool operator==(const Bundle&, const Bundle&);
};

// ---- Encoder

/// The exact encoded size of `m`, `b` or `p` in bytes (a multiple of 4).
std::size_t encoded_size(const Message& m);
std::size_t encoded_size(const Bundle& b);
std::size_t encoded_size(const Packet& p);

/// Appends the encoding of `m`, `b` or `p` to `out`, growing it once. Reusing one buffer
/// (clear(), then encode_to) makes a per-frame bundle allocation-free once the buffer has
/// reached its size. Preconditions: addresses start with '/'; strings contain no NUL (they are
/// cut at the first one, which the decoder will then read back as the shorter string).
void encode_to(std::vector<std::byte>& out, const Message& m);
void encode_to(std::vector<std::byte>& out, const Bundle& b);
void encode_to(std::vector<std::byte>& out, const Packet& p);

/// The encoding of `m`, `b` or `p` in a new buffer of exactly encoded_size() bytes.
std::vector<std::byte> encode(const Message& m);
std::vector<std::byte> encode(const Bundle& b);
std::vector<std::byte> encode(const Packet& p);

// ---- Decoder

/// Why a packet is rejected. The names are stable: the monitor logs them and tests check them.
enum class DecodeErrc : std::uint8_t {
    empty,                    ///< zero bytes
    size_not_multiple_of_4,   ///< a packet or a bundle element whose size is not 4n
    truncated,                ///< an atom (int, float, timetag, blob size) runs past the end
    bad_bundle_header,        ///< starts with '#' but is not "#bundle\0"
    unterminated_string,      ///< no NUL before the end of the packet (or element)
    nonzero_padding,          ///< a padding byte after a string or blob is not zero
    bad_address,              ///< neither '#' (bundle) nor an address starting with '/'
    unknown_type_tag,         ///< a tag outside i f s b h t d S c r m T F N I [ ]
    unbalanced_array,         ///< ']' without '[' or '[' never closed
    blob_size,                ///< a negative blob size or one past the end
    element_size,             ///< a bundle element size <= 0, not 4n, or past the end
    bundle_time_order,        ///< a nested bundle's timetag earlier than its parent's
    too_deep,                 ///< bundles or arrays nested deeper than max_depth
    trailing_bytes,           ///< bytes left after the last argument of a message
};

/// The stable name of `e`: "truncated", "unknown_type_tag", ...
std::string_view to_string(DecodeErrc e);

/// A rejected packet: what is wrong and the byte offset (from the start of the datagram) where
/// the decoder found it; `tag` is the offending type tag for unknown_type_tag.
struct DecodeError {
    DecodeErrc reason = DecodeErrc::empty;
    std::size_t offset = 0;
    char tag = 0;
    /// One phrase for logs: "unknown type tag 'x' at byte 9".
    std::string message() const;
    friend bool operator==(const DecodeError&, const DecodeError&) = default;
};

/// Bundles and arrays may nest this deep (the top-level bundle is depth 1), so that a hostile
/// packet cannot exhaust the stack of the recursive decoder.
inline constexpr int max_depth = 32;

/// Decodes one packet (one UDP datagram). Strict: everything DecodeErrc lists is an error, the
/// first one found is reported, and nothing is read outside `bytes`. Never throws except
/// std::bad_alloc (a packet's values take at most a few times its size).
///
/// Choices where the spec leaves room:
///   - A message whose address is followed by the end of the packet, or by bytes that do not
///     start with ',', has no type-tag string (very old senders; the spec says "be robust"): it
///     decodes with no args and has_type_tags = false; the bytes after the address, which
///     cannot be read without tags, are skipped unchecked.
///   - A nested bundle timetag earlier than its parent's is an error (bundle_time_order): the
///     spec says it "must" be later or equal. "Immediately" inside a timed bundle is allowed:
///     it means as soon as the parent is due.
///   - Strings are not checked for UTF-8 or forbidden address characters; the printer escapes.
boost::system::result<Packet, DecodeError> decode(std::span<const std::byte> bytes);

/// Lets result<Packet, DecodeError>::value() throw (tests use it); decode() itself never does.
[[noreturn]] void throw_exception_from_error(const DecodeError& e, const boost::source_location& loc);

// ---- Printer

/// The text of one argument as the monitor prints it (see vj-osc-monitor(1), OUTPUT):
/// i h: decimal; f d: shortest round-trip decimal ("440", "1.234", "nan", "-inf");
/// s: "double quoted" with \" \\ \n \r \t \xNN escapes (control bytes, 0x7f, invalid UTF-8);
/// S: 'single quoted', same escapes; c: 'x' (escaped like a string; codes above 0xff as
/// \u{HEX}); b: <N:hex of the first 16 bytes, "..." when longer>; t: timetag as by
/// format_time(); r: #rrggbbaa; m: midi(pp,ss,d1,d2) in hex; T F N I: true false nil impulse;
/// arrays: [v1 v2 ...].
std::string format_value(const Value& v);

/// "immediately" or an RFC 3339 UTC time with microseconds: "2026-11-24T09:18:00.250000Z".
std::string format_time(TimeTag t);

/// The type-tag string of `m` as it is on the wire, with the leading ',': ",iisff", ",[ii]".
std::string type_tags(const Message& m);

/// An address as the printer shows it: unchanged unless it holds control bytes, spaces,
/// backslashes or invalid UTF-8, which are escaped as in strings (a space as \x20).
std::string format_address(std::string_view address);

/// One line (no newline) for one message: "TIME ADDRESS ,TYPES v1 v2 ...", with TIME "now"
/// when `time` is nullopt or immediate, else format_time(*time). No arguments: "TIME ADDRESS ,";
/// no type-tag string: "TIME ADDRESS (no type tags)". The address is escaped like a string
/// (without quotes) when it holds control bytes, spaces or invalid UTF-8.
std::string format_message(const Message& m, std::optional<TimeTag> time = std::nullopt);

/// Calls `f(const Message&, std::optional<TimeTag> time)` for every message of `p` in packet
/// order, with the time it is due: nullopt for a bare message; for a message in a bundle, the
/// innermost bundle's timetag that is not "immediately" (immediately if all are).
template <typename F>
void for_each_message(const Packet& p, F&& f, std::optional<TimeTag> time = std::nullopt) {
    if (const auto* m = std::get_if<Message>(&p)) {
        f(*m, time);
        return;
    }
    const auto& b = std::get<Bundle>(p);
    const std::optional<TimeTag> inner = (!b.time.is_immediate() || !time) ? std::optional<TimeTag>(b.time) : time;
    for (const Packet& e : b.elements) for_each_message(e, f, inner);
}

/// One line per message of `p`, as format_message() prints them with for_each_message()'s times.
std::vector<std::string> format_packet(const Packet& p);

}  // namespace vj::sdk::osc
