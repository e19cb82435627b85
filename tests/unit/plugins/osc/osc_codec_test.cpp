// The OSC codec through values: byte-exact encoding (VJ-NOTES §1.5), strict decoding, printing.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "sdk/osc.hpp"

namespace vj::sdk::osc {
namespace {

using namespace std::chrono_literals;

// "2f6f7363 696c6c61": bytes in hex, a space after every 4, as VJ-NOTES writes them.
std::string hex(const std::vector<std::byte>& bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (i && i % 4 == 0) out += ' ';
        const auto b = std::to_integer<unsigned>(bytes[i]);
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    return out;
}

// The inverse of hex(), spaces ignored.
std::vector<std::byte> bytes(std::string_view text) {
    std::vector<std::byte> out;
    int high = -1;
    for (char c : text) {
        if (c == ' ') continue;
        const int v = c <= '9' ? c - '0' : c - 'a' + 10;
        if (high < 0) high = v;
        else out.push_back(std::byte(high << 4 | v)), high = -1;
    }
    return out;
}

// Raw text as bytes ("/a\0\0" with embedded NULs via the length).
template <std::size_t N>
std::vector<std::byte> raw(const char (&text)[N]) {
    std::vector<std::byte> out;
    for (std::size_t i = 0; i + 1 < N; ++i) out.push_back(std::byte(static_cast<unsigned char>(text[i])));
    return out;
}

std::vector<std::byte> operator+(std::vector<std::byte> a, const std::vector<std::byte>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

DecodeError error_of(const std::vector<std::byte>& packet) {
    const auto r = decode(packet);
    EXPECT_FALSE(r.has_value()) << "decoded: " << (r ? format_packet(*r).front() : "");
    return r ? DecodeError{} : r.error();
}

// ---- Encoder: byte-exact with VJ-NOTES §1.5 (verified there with oscsend -)

TEST(OscEncode, OscillatorFrequency) {
    const Message m{"/oscillator/4/frequency", {440.0f}};
    EXPECT_EQ(hex(encode(m)), "2f6f7363 696c6c61 746f722f 342f6672 65717565 6e637900 2c660000 43dc0000");
    EXPECT_EQ(encoded_size(m), 32u);
}

TEST(OscEncode, FooWithIntsStringAndFloats) {
    const Message m{"/foo", {1000, -1, std::string("hello"), 1.234f, 5.678f}};
    EXPECT_EQ(hex(encode(m)),
              "2f666f6f 00000000 2c696973 66660000 000003e8 ffffffff 68656c6c 6f000000 3f9df3b6 40b5b22d");
}

TEST(OscEncode, FlagsCarryNoBytes) {
    const Message m{"/vj/flags", {true, false, Nil{}, Impulse{}, std::int64_t{42}}};
    EXPECT_EQ(hex(encode(m)), "2f766a2f 666c6167 73000000 2c54464e 49680000 00000000 0000002a");
}

TEST(OscEncode, Double) {
    EXPECT_EQ(hex(encode(Message{"/t", {0.5}})), "2f740000 2c640000 3fe00000 00000000");
}

TEST(OscEncode, NoArgumentsStillHasTheComma) {
    EXPECT_EQ(hex(encode(Message{"/empty", {}})), "2f656d70 74790000 2c000000");
}

TEST(OscEncode, ImmediateBundleOfTwoMessages) {
    const Bundle b{TimeTag::immediately(), {Message{"/beat", {1}}, Message{"/bpm", {128.0f}}}};
    EXPECT_EQ(hex(encode(b)),
              "2362756e 646c6500 00000000 00000001 "
              "00000010 2f626561 74000000 2c690000 00000001 "
              "00000010 2f62706d 00000000 2c660000 43000000");
    EXPECT_EQ(encoded_size(b), 56u);
    EXPECT_EQ(encode(Packet(b)), encode(b));
}

TEST(OscEncode, StringPaddingAlwaysAddsANul) {
    // "data" is 4-aligned and still gets 4 NULs; "OSC" gets one.
    EXPECT_EQ(hex(encode(Message{"/s", {std::string("data"), std::string("OSC")}})),
              "2f730000 2c737300 64617461 00000000 4f534300");
}

TEST(OscEncode, ReservedTypes) {
    const Message m{"/r", {Symbol{"sym"}, Char{'x'}, Rgba{0x11, 0x22, 0x33, 0x44}, Midi{0, 0x90, 0x3c, 0x7f},
                           TimeTag::from_parts(0xeeafd4c8, 0x40000000), Blob{{std::byte{1}, std::byte{2}, std::byte{3}}}}};
    EXPECT_EQ(hex(encode(m)),
              "2f720000 2c536372 6d746200 73796d00 00000078 11223344 00903c7f eeafd4c8 40000000 00000003 01020300");
}

TEST(OscEncode, ArraysNestAndTheirTagsIncludeTheBrackets) {
    const Message m{"/a", {Array{1, Array{2.0f}}, 3}};
    EXPECT_EQ(type_tags(m), ",[i[f]]i");
    EXPECT_EQ(hex(encode(m)), "2f610000 2c5b695b 665d5d69 00000000 00000001 40000000 00000003");
}

TEST(OscEncode, MessageWithoutTypeTagsIsTheAddressAlone) {
    Message m{"/old", {}};
    m.has_type_tags = false;
    EXPECT_EQ(hex(encode(m)), "2f6f6c64 00000000");
}

TEST(OscEncode, EncodeToAppendsAndReusesTheBuffer) {
    std::vector<std::byte> buffer;
    encode_to(buffer, Message{"/t", {0.5}});
    encode_to(buffer, Message{"/empty", {}});
    EXPECT_EQ(hex(buffer), "2f740000 2c640000 3fe00000 00000000 2f656d70 74790000 2c000000");
    buffer.clear();
    const auto capacity = buffer.capacity();
    encode_to(buffer, Message{"/t", {0.5}});
    EXPECT_EQ(buffer.capacity(), capacity);
}

TEST(OscEncode, NestedBundleSizesAreFilledIn) {
    const Bundle inner{TimeTag::from_parts(10, 0), {Message{"/x", {}}}};
    const Bundle outer{TimeTag::from_parts(5, 0), {inner}};
    EXPECT_EQ(hex(encode(outer)),
              "2362756e 646c6500 00000005 00000000 "
              "0000001c 2362756e 646c6500 0000000a 00000000 "
              "00000008 2f780000 2c000000");
}

// ---- TimeTag

TEST(OscTimeTag, ConvertsToAndFromTheSystemClock) {
    const auto t = std::chrono::sys_days{std::chrono::November / 24 / 2026} + 9h + 18min + 250ms;
    const TimeTag tag = TimeTag::from_time_point(t);
    EXPECT_EQ(tag.seconds(), 0xeeafd4c8u);
    EXPECT_EQ(tag.fraction(), 0x40000000u);
    EXPECT_EQ(tag.to_time_point(), t);
    EXPECT_FALSE(tag.is_immediate());
    EXPECT_TRUE(TimeTag{}.is_immediate());
}

TEST(OscTimeTag, EraOneAfter2036) {
    const auto t = std::chrono::sys_days{std::chrono::January / 1 / 2040};
    const TimeTag tag = TimeTag::from_time_point(t);
    EXPECT_LT(tag.seconds(), 0x80000000u);
    EXPECT_EQ(tag.to_time_point(), t);
    EXPECT_EQ(format_time(tag), "2040-01-01T00:00:00.000000Z");
}

TEST(OscTimeTag, SubSecondPrecisionWithinANanosecond) {
    const auto t = std::chrono::sys_days{std::chrono::March / 3 / 2025} + 123456789ns;
    const auto back = TimeTag::from_time_point(t).to_time_point();
    EXPECT_LE(t - back, 1ns);
    EXPECT_GE(t - back, 0ns);
}

// ---- Decoder: valid packets

TEST(OscDecode, TheByteExactExamplesDecodeToTheirValues) {
    const auto foo =
        decode(bytes("2f666f6f 00000000 2c696973 66660000 000003e8 ffffffff 68656c6c 6f000000 3f9df3b6 40b5b22d"));
    ASSERT_TRUE(foo) << foo.error().message();
    EXPECT_EQ(std::get<Message>(*foo), (Message{"/foo", {1000, -1, std::string("hello"), 1.234f, 5.678f}}));

    const auto bundle = decode(bytes("2362756e 646c6500 00000000 00000001 00000010 2f626561 74000000 2c690000 "
                                     "00000001 00000010 2f62706d 00000000 2c660000 43000000"));
    ASSERT_TRUE(bundle) << bundle.error().message();
    EXPECT_EQ(std::get<Bundle>(*bundle),
              (Bundle{TimeTag::immediately(), {Message{"/beat", {1}}, Message{"/bpm", {128.0f}}}}));
}

TEST(OscDecode, EmptyBundleAndEmptyArray) {
    const auto b = decode(encode(Bundle{TimeTag::from_parts(1, 2), {}}));
    ASSERT_TRUE(b);
    EXPECT_TRUE(std::get<Bundle>(*b).elements.empty());
    const auto m = decode(encode(Message{"/a", {Array{}}}));
    ASSERT_TRUE(m);
    EXPECT_EQ(std::get<Message>(*m).args, (std::vector<Value>{Array{}}));
}

TEST(OscDecode, NoTypeTagStringMeansNoArguments) {
    const auto bare = decode(raw("/old\0\0\0\0"));
    ASSERT_TRUE(bare);
    EXPECT_FALSE(std::get<Message>(*bare).has_type_tags);
    EXPECT_TRUE(std::get<Message>(*bare).args.empty());
    // Old senders put the arguments right after the address; they cannot be read, so skipped.
    const auto with_data = decode(raw("/old\0\0\0\0\0\0\0\x01"));
    ASSERT_TRUE(with_data);
    EXPECT_FALSE(std::get<Message>(*with_data).has_type_tags);
}

TEST(OscDecode, ImmediateInsideATimedBundleAndLaterTimesAreFine) {
    const Bundle ok{TimeTag::from_parts(100, 0),
                    {Bundle{TimeTag::immediately(), {}}, Bundle{TimeTag::from_parts(100, 0), {}},
                     Bundle{TimeTag::from_parts(200, 0), {}}}};
    EXPECT_TRUE(decode(encode(ok)));
}

TEST(OscDecode, NestingUpToMaxDepthIsAccepted) {
    Bundle b{TimeTag::immediately(), {Message{"/deep", {}}}};
    for (int depth = 1; depth < max_depth; ++depth) b = Bundle{TimeTag::immediately(), {b}};
    EXPECT_TRUE(decode(encode(b)));
    Value v = Array{};
    for (int depth = 1; depth < max_depth; ++depth) v = Array{v};
    EXPECT_TRUE(decode(encode(Message{"/deep", {v}})));
}

// ---- Decoder: every malformed case names its reason and offset

TEST(OscDecode, Empty) { EXPECT_EQ(error_of({}), (DecodeError{DecodeErrc::empty, 0})); }

TEST(OscDecode, SizeNotMultipleOf4) {
    EXPECT_EQ(error_of(raw("/ab")), (DecodeError{DecodeErrc::size_not_multiple_of_4, 0}));
    EXPECT_EQ(error_of(raw("/ab\0,\0\0\0\0")), (DecodeError{DecodeErrc::size_not_multiple_of_4, 8}));
}

TEST(OscDecode, Truncated) {
    EXPECT_EQ(error_of(raw("/i\0\0,i\0\0")), (DecodeError{DecodeErrc::truncated, 8}));
    EXPECT_EQ(error_of(raw("/h\0\0,h\0\0\0\0\0\0")), (DecodeError{DecodeErrc::truncated, 8}));
    EXPECT_EQ(error_of(raw("/s\0\0,s\0\0")), (DecodeError{DecodeErrc::truncated, 8}));
    EXPECT_EQ(error_of(raw("#bundle\0\0\0\0\0")), (DecodeError{DecodeErrc::truncated, 8}));
    const DecodeError e = error_of(raw("/ii\0,ii\0\0\0\0\1"));
    EXPECT_EQ(e, (DecodeError{DecodeErrc::truncated, 12}));
    EXPECT_EQ(e.message(), "truncated at byte 12");
}

TEST(OscDecode, NonZeroPadding) {
    EXPECT_EQ(error_of(raw("/a\0X,\0\0\0")), (DecodeError{DecodeErrc::nonzero_padding, 3}));
    EXPECT_EQ(error_of(raw("/a\0\0,\0\0\x01")), (DecodeError{DecodeErrc::nonzero_padding, 7}));
    EXPECT_EQ(error_of(raw("/a\0\0,s\0\0hi\0!")), (DecodeError{DecodeErrc::nonzero_padding, 11}));
    // Blob padding.
    EXPECT_EQ(error_of(raw("/b\0\0,b\0\0\0\0\0\1x\0\0\1")), (DecodeError{DecodeErrc::nonzero_padding, 15}));
}

TEST(OscDecode, UnterminatedString) {
    EXPECT_EQ(error_of(raw("/abc")), (DecodeError{DecodeErrc::unterminated_string, 0}));
    EXPECT_EQ(error_of(raw("/a\0\0,iii")), (DecodeError{DecodeErrc::unterminated_string, 4}));
    EXPECT_EQ(error_of(raw("/a\0\0,s\0\0abcd")), (DecodeError{DecodeErrc::unterminated_string, 8}));
}

TEST(OscDecode, UnknownTypeTagIsNamed) {
    const DecodeError e = error_of(raw("/a\0\0,ix\0\0\0\0\1"));
    EXPECT_EQ(e, (DecodeError{DecodeErrc::unknown_type_tag, 6, 'x'}));
    EXPECT_EQ(e.message(), "unknown type tag 'x' at byte 6");
    // Checked before any argument is read, so a bad tag is reported even when data is short.
    EXPECT_EQ(error_of(raw("/a\0\0,iu\0")).tag, 'u');
    EXPECT_EQ(error_of(raw("/a\0\0,\x01\0\0")).message(), "unknown type tag '\\x01' at byte 5");
}

TEST(OscDecode, UnbalancedArray) {
    EXPECT_EQ(error_of(raw("/a\0\0,[i\0\0\0\0\1")), (DecodeError{DecodeErrc::unbalanced_array, 7}));
    EXPECT_EQ(error_of(raw("/a\0\0,]\0\0")), (DecodeError{DecodeErrc::unbalanced_array, 5}));
    EXPECT_EQ(error_of(raw("/a\0\0,[]]\0\0\0\0")), (DecodeError{DecodeErrc::unbalanced_array, 7}));
}

TEST(OscDecode, BlobSizePastTheEnd) {
    EXPECT_EQ(error_of(raw("/b\0\0,b\0\0\0\0\0\x10xxxx")), (DecodeError{DecodeErrc::blob_size, 8}));
    EXPECT_EQ(error_of(raw("/b\0\0,b\0\0\xff\xff\xff\xff")), (DecodeError{DecodeErrc::blob_size, 8}));
    EXPECT_EQ(error_of(raw("/b\0\0,b\0\0\x7f\xff\xff\xff")), (DecodeError{DecodeErrc::blob_size, 8}));
    EXPECT_EQ(error_of(raw("/b\0\0,b\0\0\0\0\0\5xxxx")), (DecodeError{DecodeErrc::blob_size, 8}));
}

TEST(OscDecode, ElementSize) {
    const auto head = raw("#bundle\0\0\0\0\0\0\0\0\1");
    EXPECT_EQ(error_of(head + raw("\0\0\0\x64/a\0\0,\0\0\0")), (DecodeError{DecodeErrc::element_size, 16}));
    EXPECT_EQ(error_of(head + raw("\0\0\0\0")), (DecodeError{DecodeErrc::element_size, 16}));
    EXPECT_EQ(error_of(head + raw("\0\0\0\5/a\0\0,\0\0\0")), (DecodeError{DecodeErrc::element_size, 16}));
    EXPECT_EQ(error_of(head + raw("\xff\xff\xff\xf8/a\0\0,\0\0\0")), (DecodeError{DecodeErrc::element_size, 16}));
    // An element's content is checked within its own size.
    EXPECT_EQ(error_of(head + raw("\0\0\0\4/abc,\0\0\0")), (DecodeError{DecodeErrc::unterminated_string, 20}));
}

TEST(OscDecode, BadHeaderAndBadAddress) {
    EXPECT_EQ(error_of(raw("#bundlX\0\0\0\0\0\0\0\0\1")), (DecodeError{DecodeErrc::bad_bundle_header, 0}));
    EXPECT_EQ(error_of(raw("#bun")), (DecodeError{DecodeErrc::bad_bundle_header, 0}));
    EXPECT_EQ(error_of(raw("abc\0")), (DecodeError{DecodeErrc::bad_address, 0}));
    const auto head = raw("#bundle\0\0\0\0\0\0\0\0\1");
    EXPECT_EQ(error_of(head + raw("\0\0\0\4xyz\0")), (DecodeError{DecodeErrc::bad_address, 20}));
}

TEST(OscDecode, TrailingBytes) {
    EXPECT_EQ(error_of(raw("/a\0\0,\0\0\0\0\0\0\0")), (DecodeError{DecodeErrc::trailing_bytes, 8}));
    EXPECT_EQ(error_of(raw("/a\0\0,i\0\0\0\0\0\1\0\0\0\0")), (DecodeError{DecodeErrc::trailing_bytes, 12}));
}

TEST(OscDecode, NestedBundleEarlierThanItsParent) {
    const Bundle b{TimeTag::from_parts(100, 0), {Bundle{TimeTag::from_parts(99, 0xffffffff), {}}}};
    EXPECT_EQ(error_of(encode(b)), (DecodeError{DecodeErrc::bundle_time_order, 28}));
}

TEST(OscDecode, NestingTooDeep) {
    Bundle b{TimeTag::immediately(), {}};
    for (int depth = 1; depth <= max_depth; ++depth) b = Bundle{TimeTag::immediately(), {b}};
    EXPECT_EQ(error_of(encode(b)).reason, DecodeErrc::too_deep);
    Value v = Array{};
    for (int depth = 1; depth <= max_depth; ++depth) v = Array{v};
    EXPECT_EQ(error_of(encode(Message{"/deep", {v}})), (DecodeError{DecodeErrc::too_deep, 8 + max_depth + 1}));
}

TEST(OscDecode, ErrorsHaveStableNames) {
    EXPECT_EQ(to_string(DecodeErrc::unknown_type_tag), "unknown_type_tag");
    EXPECT_EQ(to_string(DecodeErrc::size_not_multiple_of_4), "size_not_multiple_of_4");
    EXPECT_EQ(to_string(DecodeErrc::trailing_bytes), "trailing_bytes");
}

// ---- Printer

TEST(OscPrint, TheFooExample) {
    EXPECT_EQ(format_message(Message{"/foo", {1000, -1, std::string("hello"), 1.234f, 5.678f}}),
              "now /foo ,iisff 1000 -1 \"hello\" 1.234 5.678");
}

TEST(OscPrint, EveryType) {
    const Message m{"/all",
                    {std::int32_t{-7}, 0.1f, std::string("s"), Blob{{std::byte{0xde}, std::byte{0xad}}},
                     std::int64_t{-9'000'000'000}, TimeTag::from_parts(0xeeafd4c8, 0x40000000), 2.5, Symbol{"sym"},
                     Char{'x'}, Rgba{0xff, 0x00, 0x80, 0x40}, Midi{1, 0x90, 0x3c, 0x7f}, true, false, Nil{}, Impulse{},
                     Array{1, Array{std::string("in")}}, TimeTag::immediately()}};
    EXPECT_EQ(format_message(m),
              "now /all ,ifsbhtdScrmTFNI[i[s]]t -7 0.1 \"s\" <2:dead> -9000000000 2026-11-24T09:18:00.250000Z 2.5 "
              "'sym' 'x' #ff008040 midi(01,90,3c,7f) true false nil impulse [1 [\"in\"]] immediately");
}

TEST(OscPrint, NumbersAreShortestRoundTrip) {
    const auto line = [](Value v) { return format_value(v); };
    EXPECT_EQ(line(440.0f), "440");
    EXPECT_EQ(line(128.0f), "128");
    EXPECT_EQ(line(1e-7f), "1e-07");
    EXPECT_EQ(line(0.1), "0.1");
    EXPECT_EQ(line(1.0 / 3), "0.3333333333333333");
    EXPECT_EQ(line(std::numeric_limits<float>::infinity()), "inf");
    EXPECT_EQ(line(-std::numeric_limits<double>::infinity()), "-inf");
    EXPECT_EQ(line(std::numeric_limits<float>::quiet_NaN()), "nan");
    EXPECT_EQ(line(std::numeric_limits<std::int32_t>::min()), "-2147483648");
    EXPECT_EQ(line(std::numeric_limits<std::int64_t>::max()), "9223372036854775807");
}

TEST(OscPrint, StringsAreEscaped) {
    EXPECT_EQ(format_value(std::string("a\"b\\c\nd\re\tf\x01g\x7f")), R"("a\"b\\c\nd\re\tf\x01g\x7f")");
    EXPECT_EQ(format_value(std::string("東京")), "\"東京\"");
    EXPECT_EQ(format_value(std::string("bad \xff\xc3 utf8 \xe2\x82")), R"("bad \xff\xc3 utf8 \xe2\x82")");
    EXPECT_EQ(format_value(std::string("csi \xc2\x9b")), R"("csi \u{9b}")");
    EXPECT_EQ(format_value(std::string("\xed\xa0\x80")), R"("\xed\xa0\x80")");  // a surrogate
    EXPECT_EQ(format_value(std::string("\xc0\xaf")), R"("\xc0\xaf")");          // overlong '/'
    EXPECT_EQ(format_value(Symbol{"it's"}), R"('it\'s')");
    EXPECT_EQ(format_value(std::string("it's")), R"("it's")");
}

TEST(OscPrint, CharsBlobsAndColours) {
    EXPECT_EQ(format_value(Char{'\''}), R"('\'')");
    EXPECT_EQ(format_value(Char{'\n'}), R"('\n')");
    EXPECT_EQ(format_value(Char{0}), R"('\x00')");
    EXPECT_EQ(format_value(Char{0xe9}), R"('\xe9')");
    EXPECT_EQ(format_value(Char{0x1f600}), R"('\u{1f600}')");
    EXPECT_EQ(format_value(Blob{}), "<0:>");
    Blob big;
    for (int i = 0; i < 300; ++i) big.bytes.push_back(std::byte(i));
    EXPECT_EQ(format_value(big), "<300:000102030405060708090a0b0c0d0e0f...>");
    EXPECT_EQ(format_value(Array{}), "[]");
}

TEST(OscPrint, EmptyUntypedAndOddAddresses) {
    EXPECT_EQ(format_message(Message{"/empty", {}}), "now /empty ,");
    Message old{"/old", {}};
    old.has_type_tags = false;
    EXPECT_EQ(format_message(old), "now /old (no type tags)");
    EXPECT_EQ(format_message(Message{"/a b\n\xff", {}}), R"(now /a\x20b\n\xff ,)");
}

TEST(OscPrint, MessagesInBundlesPrintWithTheBundleTime) {
    const TimeTag t1 = TimeTag::from_parts(0xeeafd4c8, 0x40000000);  // 2026-11-24T09:18:00.25Z
    const TimeTag t2 = TimeTag::from_parts(0xeeafd4c9, 0);
    const Bundle b{TimeTag::immediately(),
                   {Message{"/beat", {1}},
                    Bundle{t1, {Message{"/a", {}}, Bundle{TimeTag::immediately(), {Message{"/b", {}}}},
                                Bundle{t2, {Message{"/c", {}}}}}}}};
    EXPECT_EQ(format_packet(b), (std::vector<std::string>{"now /beat ,i 1", "2026-11-24T09:18:00.250000Z /a ,",
                                                          "2026-11-24T09:18:00.250000Z /b ,",
                                                          "2026-11-24T09:18:01.000000Z /c ,"}));
    EXPECT_EQ(format_packet(Message{"/bare", {}}), (std::vector<std::string>{"now /bare ,"}));
    EXPECT_EQ(format_message(Message{"/x", {}}, TimeTag::immediately()), "now /x ,");
}

TEST(OscPrint, TimesBefore2036AndTheEpochs) {
    EXPECT_EQ(format_time(TimeTag::from_parts(0x83aa7e80, 0)), "1970-01-01T00:00:00.000000Z");
    EXPECT_EQ(format_time(TimeTag::from_parts(0xffffffff, 0xffffffff)), "2036-02-07T06:28:15.999999Z");
    EXPECT_EQ(format_time(TimeTag::from_parts(0, 0)), "2036-02-07T06:28:16.000000Z");
}

// ---- Values

TEST(OscValue, EqualityIsBitwiseForFloats) {
    const float nan = std::numeric_limits<float>::quiet_NaN();
    EXPECT_EQ(Value(nan), Value(nan));
    EXPECT_NE(Value(0.0f), Value(-0.0f));
    EXPECT_NE(Value(1), Value(std::int64_t{1}));
    EXPECT_NE(Value(std::string("a")), Value(Symbol{"a"}));
    EXPECT_EQ(type_tag(Value(true)), 'T');
    EXPECT_EQ(type_tag(Value(false)), 'F');
    EXPECT_EQ(type_tag(Value(Array{})), '[');
}

}  // namespace
}  // namespace vj::sdk::osc
