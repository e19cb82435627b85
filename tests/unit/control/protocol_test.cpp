// Tests the control wire codec: exact encodings, round trips, and every malformed-request message.
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "control/protocol.hpp"

namespace vj::control {

// Printers for failure messages (gtest and rapidcheck find them by ADL).
void PrintTo(const Request& r, std::ostream* os) { *os << encode(r); }
void PrintTo(const Reply& r, std::ostream* os) { *os << encode(r); }
void PrintTo(const StreamEvent& e, std::ostream* os) { *os << encode(e); }
void PrintTo(const Error& e, std::ostream* os) { *os << e.code << ": " << e.message; }
void showValue(const Request& r, std::ostream& os) { PrintTo(r, &os); }
void showValue(const Reply& r, std::ostream& os) { PrintTo(r, &os); }
void showValue(const StreamEvent& e, std::ostream& os) { PrintTo(e, &os); }

namespace {

using nlohmann::json;

std::string to_utf8(const std::vector<std::uint32_t>& code_points) {
    std::string out;
    for (const auto cp : code_points) {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }
    return out;
}

/// Valid UTF-8 (JSON strings are Unicode), with control characters, quotes and backslashes.
rc::Gen<std::string> gen_text() {
    const auto code_point = rc::gen::oneOf(rc::gen::inRange<std::uint32_t>(0, 0x80),
                                           rc::gen::element<std::uint32_t>(0x22u, 0x5Cu, 0x0Au, 0x0Du, 0x09u, 0x00u),
                                           rc::gen::inRange<std::uint32_t>(0x80, 0xD800),
                                           rc::gen::inRange<std::uint32_t>(0xE000, 0x110000));
    return rc::gen::map(rc::gen::container<std::vector<std::uint32_t>>(code_point), to_utf8);
}

rc::Gen<json> gen_scalar() {
    return rc::gen::oneOf(rc::gen::map(gen_text(), [](std::string s) { return json(std::move(s)); }),
                          rc::gen::map(rc::gen::arbitrary<std::int64_t>(), [](std::int64_t n) { return json(n); }),
                          rc::gen::map(rc::gen::arbitrary<bool>(), [](bool b) { return json(b); }),
                          rc::gen::just(json(nullptr)));
}

/// An object of random keys to strings and integers (the shape of request args).
rc::Gen<json> gen_object() {
    return rc::gen::map(rc::gen::container<std::vector<std::pair<std::string, json>>>(
                            rc::gen::pair(gen_text(), gen_scalar())),
                        [](const std::vector<std::pair<std::string, json>>& fields) {
                            json object = json::object();
                            for (const auto& [key, value] : fields) {
                                object[key] = value;
                            }
                            return object;
                        });
}

/// Any JSON value two levels deep: a scalar, an object, or an array of either.
rc::Gen<json> gen_value() {
    return rc::gen::oneOf(gen_scalar(), gen_object(),
                          rc::gen::map(rc::gen::container<std::vector<json>>(rc::gen::oneOf(gen_scalar(), gen_object())),
                                       [](std::vector<json> items) { return json(std::move(items)); }));
}

rc::Gen<Request> gen_request() {
    return rc::gen::build<Request>(rc::gen::set(&Request::id), rc::gen::set(&Request::cmd, gen_text()),
                                   rc::gen::set(&Request::args, gen_object()));
}

rc::Gen<Reply> gen_reply() {
    const auto body = rc::gen::oneOf(
        rc::gen::map(gen_value(), [](json j) { return ReplyBody(std::move(j)); }),
        rc::gen::map(rc::gen::pair(gen_text(), gen_text()), [](std::pair<std::string, std::string> p) {
            return ReplyBody(Error{std::move(p.first), std::move(p.second)});
        }));
    return rc::gen::build<Reply>(rc::gen::set(&Reply::id), rc::gen::set(&Reply::body, body));
}

rc::Gen<StreamEvent> gen_event() {
    return rc::gen::build<StreamEvent>(rc::gen::set(&StreamEvent::id), rc::gen::set(&StreamEvent::event, gen_value()));
}

Error bad(std::string message) { return Error{std::string(errc::bad_request), std::move(message)}; }

}  // namespace

RC_GTEST_PROP(ProtocolRoundTrip, RequestDecodesToItself, ()) {
    const auto request = *gen_request();
    const auto line = encode(request);
    RC_ASSERT(line.find('\n') == std::string::npos);
    const auto decoded = decode_request(line);
    RC_ASSERT(decoded.id == request.id);
    RC_ASSERT(std::holds_alternative<Request>(decoded.value));
    RC_ASSERT(std::get<Request>(decoded.value) == request);
}

RC_GTEST_PROP(ProtocolRoundTrip, ReplyDecodesToItself, ()) {
    const auto reply = *gen_reply();
    const auto line = encode(reply);
    RC_ASSERT(line.find('\n') == std::string::npos);
    const auto decoded = decode_server_line(line);
    RC_ASSERT(std::holds_alternative<Reply>(decoded));
    RC_ASSERT(std::get<Reply>(decoded) == reply);
}

RC_GTEST_PROP(ProtocolRoundTrip, StreamEventDecodesToItself, ()) {
    const auto event = *gen_event();
    const auto line = encode(event);
    RC_ASSERT(line.find('\n') == std::string::npos);
    const auto decoded = decode_server_line(line);
    RC_ASSERT(std::holds_alternative<StreamEvent>(decoded));
    RC_ASSERT(std::get<StreamEvent>(decoded) == event);
}

TEST(ProtocolEncode, RequestKeysComeInProtocolOrder) {
    EXPECT_EQ(encode(Request{7, "status", {{"names", {"web", "db*"}}}}),
              R"({"id":7,"cmd":"status","args":{"names":["web","db*"]}})");
    EXPECT_EQ(encode(Request{1, "ping", json::object()}), R"({"id":1,"cmd":"ping","args":{}})");
}

TEST(ProtocolEncode, NullArgsGoOutAsAnEmptyObject) {
    EXPECT_EQ(encode(Request{1, "ping", json()}), R"({"id":1,"cmd":"ping","args":{}})");
}

TEST(ProtocolEncode, ReplyWithResult) {
    EXPECT_EQ(encode(Reply{3, json{{"pid", 42}}}), R"({"id":3,"ok":true,"result":{"pid":42}})");
}

TEST(ProtocolEncode, ReplyWithError) {
    EXPECT_EQ(encode(Reply{4, Error{"no_such_service", "nope: no such service"}}),
              R"({"id":4,"ok":false,"error":{"code":"no_such_service","message":"nope: no such service"}})");
}

TEST(ProtocolEncode, StreamEvent) {
    EXPECT_EQ(encode(StreamEvent{5, json{{"line", "hello\n"}}}), R"({"id":5,"event":{"line":"hello\n"}})");
}

TEST(ProtocolEncode, InvalidUtf8IsReplacedNotThrown) {
    std::string line;
    EXPECT_NO_THROW(line = encode(Reply{1, json("bad \xff byte")}));
    EXPECT_EQ(line, "{\"id\":1,\"ok\":true,\"result\":\"bad \xEF\xBF\xBD byte\"}");
}

TEST(ProtocolEncode, InvalidUtf8IsReplacedInEveryString) {
    // A lone continuation byte, a truncated sequence, an overlong encoding, a surrogate.
    const std::string bad = "a\x80" "b\xE2\x82" "c\xC0\xAF" "d\xED\xA0\x80";
    const json tail_line{{"name", "web:0"}, {"stream", "stdout"}, {"time", "2026-11-24T01:02:03.456Z"}, {"line", bad}};
    std::vector<std::string> lines;
    EXPECT_NO_THROW(lines.push_back(encode(Request{1, bad, {{bad, {bad, json{{bad, bad}}}}}})));
    EXPECT_NO_THROW(lines.push_back(encode(Reply{2, json{{"lines", {tail_line, tail_line}}}})));
    EXPECT_NO_THROW(lines.push_back(encode(Reply{3, Error{bad, bad}})));
    EXPECT_NO_THROW(lines.push_back(encode(StreamEvent{4, tail_line})));
    EXPECT_NO_THROW(lines.push_back(encode(StreamEvent{5, json(bad)})));
    for (const auto& line : lines) {
        // Every line is valid JSON again (the strict parser rejects invalid UTF-8) and holds U+FFFD.
        EXPECT_TRUE(json::accept(line)) << line;
        EXPECT_NE(line.find("\xEF\xBF\xBD"), std::string::npos) << line;
        EXPECT_EQ(line.find('\x80'), std::string::npos) << line;
    }
    const auto decoded = decode_server_line(lines[3]);
    ASSERT_TRUE(std::holds_alternative<StreamEvent>(decoded));
    const auto text = std::get<StreamEvent>(decoded).event["line"].get<std::string>();
    EXPECT_TRUE(text.starts_with("a\xEF\xBF\xBD" "b")) << text;
    EXPECT_NE(text.find("d\xEF\xBF\xBD"), std::string::npos) << text;
}

TEST(ProtocolDecodeRequest, ArgsAreOptional) {
    const auto decoded = decode_request(R"({"id":9,"cmd":"ping"})");
    ASSERT_TRUE(std::holds_alternative<Request>(decoded.value));
    EXPECT_EQ(std::get<Request>(decoded.value), (Request{9, "ping", json::object()}));
    EXPECT_EQ(decoded.id, 9);
}

TEST(ProtocolDecodeRequest, AMissingIdIsZero) {
    const auto decoded = decode_request(R"({"cmd":"ping"})");
    ASSERT_TRUE(std::holds_alternative<Request>(decoded.value));
    EXPECT_EQ(std::get<Request>(decoded.value).id, 0);
}

TEST(ProtocolDecodeRequest, UnknownKeysAreIgnored) {
    const auto decoded = decode_request(R"({"id":1,"cmd":"ping","future":true})");
    ASSERT_TRUE(std::holds_alternative<Request>(decoded.value));
}

TEST(ProtocolDecodeRequest, SurroundingWhitespaceIsAccepted) {
    const auto decoded = decode_request(" {\"id\":1,\"cmd\":\"ping\"}\r");
    ASSERT_TRUE(std::holds_alternative<Request>(decoded.value));
}

struct MalformedRequest {
    const char* name;
    std::string line;
    std::int64_t id;  ///< the id the bad_request reply must carry
    std::string message;
};

class ProtocolMalformedRequest : public testing::TestWithParam<MalformedRequest> {};

TEST_P(ProtocolMalformedRequest, IsBadRequestSayingWhy) {
    const auto& c = GetParam();
    const auto decoded = decode_request(c.line);
    ASSERT_TRUE(std::holds_alternative<Error>(decoded.value)) << c.line;
    EXPECT_EQ(std::get<Error>(decoded.value), bad(c.message));
    EXPECT_EQ(decoded.id, c.id);
}

INSTANTIATE_TEST_SUITE_P(
    Table, ProtocolMalformedRequest,
    testing::Values(
        MalformedRequest{"not_json", "status please", 0, "request is not valid JSON (at byte 1)"},
        MalformedRequest{"truncated", R"({"id":1,"cmd":"sta)", 0, "request is not valid JSON (at byte 19)"},
        MalformedRequest{"empty", "", 0, "request is not valid JSON (at byte 1)"},
        MalformedRequest{"number_overflow", R"({"id":1,"cmd":"status","args":{"x":1e999}})", 0,
                         "request holds a number out of range"},
        MalformedRequest{"array", R"([{"id":1,"cmd":"status"}])", 0, "request is not a JSON object"},
        MalformedRequest{"string", R"("status")", 0, "request is not a JSON object"},
        MalformedRequest{"missing_cmd", R"({"id":1,"args":{}})", 1, "request has no cmd"},
        MalformedRequest{"cmd_not_string", R"({"id":2,"cmd":["status"]})", 2, "request cmd is not a string"},
        MalformedRequest{"args_not_object", R"({"id":3,"cmd":"status","args":["web"]})", 3,
                         "request args is not an object"},
        MalformedRequest{"args_null", R"({"id":4,"cmd":"status","args":null})", 4, "request args is not an object"},
        MalformedRequest{"id_string", R"({"id":"5","cmd":"status"})", 0, "request id is not an integer"},
        MalformedRequest{"id_fractional", R"({"id":1.5,"cmd":"status"})", 0, "request id is not an integer"},
        MalformedRequest{"id_float_integral", R"({"id":2.0,"cmd":"status"})", 0, "request id is not an integer"},
        MalformedRequest{"id_too_large", R"({"id":9223372036854775808,"cmd":"status"})", 0,
                         "request id is out of range"},
        MalformedRequest{"bad_id_before_cmd", R"({"id":null})", 0, "request id is not an integer"}),
    [](const testing::TestParamInfo<MalformedRequest>& info) { return std::string(info.param.name); });

TEST(ProtocolDecodeRequest, NegativeIdsAreIntegers) {
    const auto decoded = decode_request(R"({"id":-3,"cmd":"ping"})");
    ASSERT_TRUE(std::holds_alternative<Request>(decoded.value));
    EXPECT_EQ(decoded.id, -3);
}

TEST(ProtocolDecodeServerLine, OkWithoutResultIsNull) {
    const auto decoded = decode_server_line(R"({"id":1,"ok":true})");
    ASSERT_TRUE(std::holds_alternative<Reply>(decoded));
    EXPECT_EQ(std::get<Reply>(decoded), (Reply{1, json()}));
}

TEST(ProtocolDecodeServerLine, ErrorWithoutMessageHasAnEmptyOne) {
    const auto decoded = decode_server_line(R"({"id":1,"ok":false,"error":{"code":"timeout"}})");
    ASSERT_TRUE(std::holds_alternative<Reply>(decoded));
    EXPECT_EQ(std::get<Reply>(decoded), (Reply{1, Error{"timeout", ""}}));
}

TEST(ProtocolDecodeServerLine, MalformedLinesAreErrors) {
    const std::vector<std::pair<std::string, std::string>> cases{
        {"nope", "server line is not valid JSON (at byte 2)"},
        {R"({"id":1,"ok":true,"result":{"uptime_s":-1e999}})", "server line holds a number out of range"},
        {"[]", "server line is not a JSON object"},
        {R"({"ok":true})", "server line has no id"},
        {R"({"id":"1","ok":true})", "server line id is not an integer"},
        {R"({"id":1})", "reply has no boolean ok"},
        {R"({"id":1,"ok":"yes"})", "reply has no boolean ok"},
        {R"({"id":1,"ok":false})", "error reply has no error object"},
        {R"({"id":1,"ok":false,"error":"boom"})", "error reply has no error object"},
        {R"({"id":1,"ok":false,"error":{"message":"boom"}})", "error reply has no string code"},
        {R"({"id":1,"ok":false,"error":{"code":"failed","message":7}})", "error reply message is not a string"},
    };
    for (const auto& [line, message] : cases) {
        const auto decoded = decode_server_line(line);
        ASSERT_TRUE(std::holds_alternative<Error>(decoded)) << line;
        EXPECT_EQ(std::get<Error>(decoded), bad(message)) << line;
    }
}

}  // namespace vj::control
