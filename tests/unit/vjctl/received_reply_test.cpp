// Tests how vjctl reads a server line: the one-pass reader of status replies, its agreement with
// the protocol's own decoder on every kind of line, and the status fields it keeps.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "control/protocol.hpp"
#include "line_buffer.hpp"
#include "received_reply.hpp"
#include "render.hpp"

namespace vj::vjctl {
namespace {

using nlohmann::json;

using Decoded = std::variant<ReceivedReply, control::StreamEvent, control::Error>;

Decoded decode(std::string_view line) { return decode_server_line(LineBuffer(line)); }

/// The reply in `line`, or a test failure and an empty reply.
ReceivedReply reply_of(std::string_view line) {
    auto decoded = decode(line);
    if (auto* reply = std::get_if<ReceivedReply>(&decoded)) {
        return std::move(*reply);
    }
    ADD_FAILURE() << "not a reply: " << line;
    return ReceivedReply{0, control::Error{}};
}

/// The result of the reply in `line`, or a test failure and a null result.
ReceivedResult result_of(std::string_view line) {
    auto reply = reply_of(line);
    if (auto* result = std::get_if<ReceivedResult>(&reply.body)) {
        return *result;
    }
    ADD_FAILURE() << "not a result: " << line;
    return ReceivedResult(json());
}

/// A status object as supervisord sends it (supervisord(8) `status`).
json status_object(const std::string& name, int index) {
    const bool up = index % 7 != 0;
    return {{"goal", "up"},
            {"health", up ? "healthy" : "unknown"},
            {"message", index % 13 == 0 ? "caf\xc3\xa9 \"quoted\" \\ tab\there" : ""},
            {"name", name},
            {"pid", up ? json(30000 + index) : json(nullptr)},
            {"probes",
             {{{"age_s", 46.22},
               {"health", "healthy"},
               {"message", "running"},
               {"name", "pid"},
               {"type", "pid"},
               {"verdict", "healthy"}}}},
            {"reason", up ? "started" : "exited with status 1"},
            {"restarts", index % 5},
            {"service", name},
            {"since_s", 46.22},
            {"state", up ? "running" : "backoff"},
            {"uptime_s", up ? json(46.22 + index) : json(nullptr)}};
}

std::string reply_line(const json& result) { return control::encode(control::Reply{1, result}); }

// ---------------------------------------------------------------------------------------------
// Status fields

TEST(ReceivedReply, ReadsEveryStatusField) {
    const auto result = result_of(
        R"({"id":7,"ok":true,"result":{"jobs":[],"services":[{"goal":"up","health":"healthy","message":"",)"
        R"("name":"x00001","pid":30106,"probes":[{"age_s":46.22,"health":"healthy","message":"running",)"
        R"("name":"pid","type":"pid","verdict":"healthy"}],"reason":"started","restarts":3,"service":"x",)"
        R"("since_s":46.22,"state":"running","uptime_s":46.22}]}})");
    ASSERT_EQ(result.statuses().size(), 1u);
    const auto& s = result.statuses()[0];
    EXPECT_EQ(s.name, "x00001");
    EXPECT_EQ(s.service, "x");
    EXPECT_EQ(s.state, "running");
    EXPECT_EQ(s.health, "healthy");
    EXPECT_EQ(s.pid, 30106);
    EXPECT_EQ(s.uptime_s, 46.22);
    EXPECT_EQ(s.restarts, 3);
    EXPECT_EQ(s.reason, "started");
    EXPECT_EQ(s.message, "");  // the probe's "name" and "message" are not the instance's
}

TEST(ReceivedReply, KeepsTheIdAndTheResultTextAsSent) {
    const auto reply = reply_of(R"({ "id" : 42 , "ok" : true , "result" : {"services": [ ], "jobs":[]}  } )");
    EXPECT_EQ(reply.id, 42);
    ASSERT_TRUE(std::holds_alternative<ReceivedResult>(reply.body));
    EXPECT_EQ(std::get<ReceivedResult>(reply.body).json_text(), R"({"services": [ ], "jobs":[]})");
    // In any order, with other members after it.
    const auto first = reply_of(R"({"result":[1, 2] ,"id":3,"extra":{"result":0},"ok":true})");
    EXPECT_EQ(first.id, 3);
    EXPECT_EQ(std::get<ReceivedResult>(first.body).json_text(), "[1, 2]");
    EXPECT_EQ(result_of(R"({"id":1,"ok":true,"result":"a \"b\""})").json_text(), R"("a \"b\"")");
    EXPECT_EQ(result_of(R"({"id":1,"ok":true,"result":-1.5e3})").json_text(), "-1.5e3");
}

TEST(ReceivedReply, NullAndMissingFieldsAreEmpty) {
    const auto result = result_of(reply_line({{"services",
                                               {{{"name", "web"},
                                                 {"state", "stopped"},
                                                 {"pid", nullptr},
                                                 {"uptime_s", nullptr},
                                                 {"health", nullptr},
                                                 {"message", ""}},
                                                json::object()}}}));
    ASSERT_EQ(result.statuses().size(), 2u);
    const auto& web = result.statuses()[0];
    EXPECT_EQ(web.name, "web");
    EXPECT_EQ(web.state, "stopped");
    EXPECT_EQ(web.health, "");
    EXPECT_EQ(web.service, "");
    EXPECT_EQ(web.pid, std::nullopt);
    EXPECT_EQ(web.uptime_s, std::nullopt);
    EXPECT_EQ(web.restarts, std::nullopt);
    EXPECT_EQ(web.reason, "");
    EXPECT_EQ(web.message, "");
    const auto& empty = result.statuses()[1];
    EXPECT_EQ(empty.name, "");
    EXPECT_EQ(empty.pid, std::nullopt);
}

TEST(ReceivedReply, MistypedFieldsAreEmptyAndNonObjectsAreInstancesWithout) {
    const auto result = result_of(R"({"id":1,"ok":true,"result":{"services":[)"
                                  R"({"name":5,"state":true,"health":{"a":"healthy"},"pid":"12","restarts":1.5,)"
                                  R"("uptime_s":"long","reason":["x"],"message":null},)"
                                  R"(7,"web",null,[{"name":"inner"}],{"pid":18446744073709551615,"uptime_s":3}]}})");
    ASSERT_EQ(result.statuses().size(), 6u);
    const auto& odd = result.statuses()[0];
    EXPECT_EQ(odd.name, "");
    EXPECT_EQ(odd.state, "");
    EXPECT_EQ(odd.health, "");
    EXPECT_EQ(odd.pid, std::nullopt);
    EXPECT_EQ(odd.restarts, std::nullopt);
    EXPECT_EQ(odd.uptime_s, std::nullopt);
    EXPECT_EQ(odd.reason, "");
    EXPECT_EQ(odd.message, "");
    for (std::size_t i = 1; i <= 4; ++i) {
        EXPECT_EQ(result.statuses()[i].name, "") << i;  // not "inner": that is inside an array
    }
    EXPECT_EQ(result.statuses()[5].pid, std::nullopt);  // above INT64_MAX
    EXPECT_EQ(result.statuses()[5].uptime_s, 3.0);      // an integer is a number of seconds too
}

TEST(ReceivedReply, OnlyAServicesArrayOfAnObjectResultHasInstances) {
    EXPECT_TRUE(result_of(R"({"id":1,"ok":true,"result":"nonsense"})").statuses().empty());
    EXPECT_TRUE(result_of(R"({"id":1,"ok":true,"result":[{"name":"a"}]})").statuses().empty());
    EXPECT_TRUE(result_of(R"({"id":1,"ok":true,"result":{"services":{"name":"a"}}})").statuses().empty());
    EXPECT_TRUE(result_of(R"({"id":1,"ok":true,"result":{"jobs":[{"name":"a"}]}})").statuses().empty());
    EXPECT_TRUE(result_of(R"({"id":1,"ok":true,"result":{"x":{"services":[{"name":"a"}]}}})").statuses().empty());
    // Action results list names: one instance (without fields) per name.
    EXPECT_EQ(result_of(R"({"id":1,"ok":true,"result":{"services":["web:0","web:1"]}})").statuses().size(), 2u);
}

TEST(ReceivedReply, TheLastOfDuplicateKeysCountsAsInNlohmann) {
    const auto result = result_of(R"({"id":1,"ok":true,"result":{"services":[{"name":"a"}]},)"
                                  R"("result":{"services":[{"name":"b","name":"c","pid":1,"pid":null}]}})");
    ASSERT_EQ(result.statuses().size(), 1u);
    EXPECT_EQ(result.statuses()[0].name, "c");
    EXPECT_EQ(result.statuses()[0].pid, std::nullopt);
    EXPECT_EQ(result.value(), json::parse(R"({"services":[{"name":"c","pid":null}]})"));
    EXPECT_TRUE(result_of(R"({"id":1,"ok":true,"result":{"services":[{"name":"a"}],"services":0}})")
                    .statuses()
                    .empty());
}

TEST(ReceivedReply, UnicodeAndEscapesInTexts) {
    // Escapes of every kind, a surrogate pair, raw UTF-8, and an escaped key.
    const std::string line =
        R"({"id":1,"ok":true,"result":{"services":[{"n\u0061me":"caf\u00e9 \ud83d\ude00",)"
        R"("message":"\"quoted\" \\ back\/slash\ttab\nline \u001b[2J \u00e9t\u00e9","reason":")"
        "d\xc3\xa9j\xc3\xa0 vu"  // raw UTF-8
        R"(",)"
        R"("state":"\u0072unning"}]}})";
    const auto result = result_of(line);
    ASSERT_EQ(result.statuses().size(), 1u);
    const auto& s = result.statuses()[0];
    EXPECT_EQ(s.name, "caf\xc3\xa9 \xf0\x9f\x98\x80");
    EXPECT_EQ(s.message, "\"quoted\" \\ back/slash\ttab\nline \x1b[2J \xc3\xa9t\xc3\xa9");
    EXPECT_EQ(s.reason, "d\xc3\xa9j\xc3\xa0 vu");
    EXPECT_EQ(s.state, "running");
    // Rendered with control characters as spaces, as before.
    EXPECT_EQ(render_status(result, {}),
              "caf\xc3\xa9 \xf0\x9f\x98\x80 running - - - - d\xc3\xa9j\xc3\xa0 vu\t"
              "\"quoted\" \\ back/slash tab line  [2J \xc3\xa9t\xc3\xa9\n");
    // --json prints the text as sent, escapes and all.
    EXPECT_EQ(json::parse(result.json_text()), json::parse(line)["result"]);
    EXPECT_NE(result.json_text().find(R"(\u00e9t\u00e9)"), std::string_view::npos);
}

TEST(ReceivedReply, UptimeIsReadExactly) {
    // Each decimal is read to the nearest double, as nlohmann (strtod) reads it.
    for (const char* text : {"60", "60.0", "59.99999999999999", "0.1", "46.220000000000006", "86399.99999999999",
                             "1e-7", "123456789.12345679", "3.0000000000000004"}) {
        const auto result = result_of(std::string(R"({"id":1,"ok":true,"result":{"services":[{"uptime_s":)") +
                                      text + "}]}}");
        ASSERT_EQ(result.statuses().size(), 1u);
        EXPECT_EQ(result.statuses()[0].uptime_s, json::parse(text).get<double>()) << text;
    }
    EXPECT_EQ(format_uptime(*result_of(R"({"id":1,"ok":true,"result":{"services":[{"uptime_s":60.0}]}})")
                                 .statuses()[0]
                                 .uptime_s),
              "1m00s");
}

// ---------------------------------------------------------------------------------------------
// Agreement with control::decode_server_line

/// Whether vjctl's reading of `line` is the protocol decoder's: the same kind, id, error or event,
/// and a result of the same value with the same statuses as that value would give.
void expect_agreement(const std::string& line) {
    SCOPED_TRACE(line);
    const auto mine = decode(line);
    const auto theirs = control::decode_server_line(line);
    ASSERT_EQ(mine.index(), theirs.index());
    if (const auto* error = std::get_if<control::Error>(&theirs)) {
        EXPECT_EQ(std::get<control::Error>(mine), *error);
    } else if (const auto* event = std::get_if<control::StreamEvent>(&theirs)) {
        EXPECT_EQ(std::get<control::StreamEvent>(mine), *event);
    } else {
        const auto& reply = std::get<control::Reply>(theirs);
        const auto& received = std::get<ReceivedReply>(mine);
        EXPECT_EQ(received, ReceivedReply(reply));
        if (const auto* value = std::get_if<json>(&reply.body)) {
            const auto& result = std::get<ReceivedResult>(received.body);
            EXPECT_EQ(json::parse(result.json_text()), *value);
            // The statuses are those of the value, read from nlohmann's own text.
            EXPECT_EQ(render_status(result, {.tty = true}), render_status(ReceivedResult(*value), {.tty = true}));
            EXPECT_EQ(render_names(result), render_names(ReceivedResult(*value)));
        }
    }
}

TEST(ReceivedReply, AgreesWithTheProtocolDecoderOnEveryKindOfLine) {
    for (const std::string line : {
             // Replies the one pass reads.
             R"({"id":1,"ok":true,"result":{"services":[{"name":"a","state":"running"}],"jobs":[]}})",
             R"({"id":-5,"ok":true,"result":{}})",
             R"({"id":9223372036854775807,"ok":true,"result":[]})",
             R"(  {"ok":true,"id":1,"error":{"code":"x"},"result":1}  )",
             // Lines it leaves to the protocol decoder.
             R"({"id":1,"ok":true})",
             R"({"id":1,"ok":false,"error":{"code":"no_such_service","message":"nope: no such service"}})",
             R"({"id":0,"ok":false,"error":{"code":"permission_denied","message":"no"}})",
             R"({"id":1,"ok":false,"error":{"code":"x"}})",
             R"({"id":1,"ok":false})",
             R"({"id":1,"ok":false,"error":"x"})",
             R"({"id":1,"ok":false,"error":{"code":1}})",
             R"({"id":1,"ok":false,"error":{"code":"x","message":2}})",
             R"({"id":1,"event":{"line":"x"}})",
             R"({"id":1,"ok":true,"result":1,"event":2})",
             R"({"ok":true,"result":1})",
             R"({"id":"1","ok":true,"result":1})",
             R"({"id":1.0,"ok":true,"result":1})",
             R"({"id":[1],"ok":true,"result":1})",
             R"({"id":18446744073709551615,"ok":true,"result":1})",
             R"({"id":1,"ok":"true","result":1})",
             R"({"id":1,"ok":1,"result":1})",
             R"({"i\u0064":1,"ok":true,"result":{"services":[{"name":"a"}]}})",
             R"({"id":1,"ok":true,"r\u0065sult":{"services":[{"name":"a"}]}})",
             R"({"id":1,"ok":true,"result":{"services":[{"name":"a"}]},"\u0078":0})",
             // Not replies at all.
             "",
             "hello",
             "[1]",
             "17",
             R"("text")",
             "null",
             R"({"id":1,"ok":true,"result":{"services":[{"name":"a"}]}} trailing)",
             R"({"id":1,"ok":true,"result":{"services":[{"name":"a"})",
             R"({"id":1,"ok":true,"result":{"services":[{"name":"a",}]}})",
             R"({"id":1,"ok":true,"result":{"services":[{"uptime_s":1e999}]}})",
             R"({"id":1,"ok":true,"result":{"services":[{"uptime_s":01}]}})",
             R"({"id":1,"ok":true,"result":{"services":[{"name":"bad \x escape"}]}})",
             R"({"id":1,"ok":true,"result":{"services":[{"name":"\ud800"}]}})",
             "{\"id\":1,\"ok\":true,\"result\":{\"services\":[{\"name\":\"raw \xff byte\"}]}}",
             "{\"id\":1,\"ok\":true,\"result\":{\"services\":[{\"name\":\"raw \x01 control\"}]}}",
             R"({"id":1,"ok":true,"result":{"a":1}/*comment*/})",
         }) {
        expect_agreement(line);
    }
}

TEST(ReceivedReply, GarbageGetsTheProtocolDecodersMessage) {
    const auto decoded = decode("hello");
    ASSERT_TRUE(std::holds_alternative<control::Error>(decoded));
    EXPECT_EQ(std::get<control::Error>(decoded), (control::Error{"bad_request", "server line is not valid JSON (at byte 1)"}));
    // Cut short, as when the daemon dies while it writes.
    const std::string line = reply_line({{"services", {status_object("web", 1)}}});
    const auto cut = decode(line.substr(0, line.size() / 2));
    ASSERT_TRUE(std::holds_alternative<control::Error>(cut));
    EXPECT_EQ(std::get<control::Error>(cut).code, "bad_request");
    EXPECT_EQ(std::get<control::Error>(cut).message.rfind("server line is not valid JSON (at byte ", 0), 0u);
}

// ---------------------------------------------------------------------------------------------
// Results made from values, and replies compared

TEST(ReceivedResult, FromAValueIsItsCompactText) {
    const json value{{"services", {status_object("web:0", 1), 7}}, {"jobs", json::array()}};
    const ReceivedResult result(value);
    EXPECT_EQ(result.json_text(), value.dump());
    EXPECT_EQ(result.value(), value);
    ASSERT_EQ(result.statuses().size(), 2u);
    EXPECT_EQ(result.statuses()[0].name, "web:0");
    EXPECT_EQ(result.statuses()[0].pid, 30001);
    EXPECT_EQ(result.statuses()[1].name, "");
    // Copies share the text the statuses view into.
    const auto copy = result;
    EXPECT_EQ(copy.statuses()[0].name.data(), result.statuses()[0].name.data());
}

TEST(ReceivedReply, ComparesByValue) {
    const auto received = reply_of(R"({"id":1,"ok":true,"result":{ "b" : 1, "a" : [ ] }})");
    EXPECT_EQ(received, (control::Reply{1, json{{"a", json::array()}, {"b", 1}}}));
    EXPECT_FALSE(received == (control::Reply{2, json{{"a", json::array()}, {"b", 1}}}));
    EXPECT_FALSE(received == (control::Reply{1, json{{"a", json::array()}}}));
    EXPECT_FALSE(received == (control::Reply{1, control::Error{"x", "y"}}));
    EXPECT_EQ(ReceivedReply(control::Reply{1, control::Error{"x", "y"}}), (control::Reply{1, control::Error{"x", "y"}}));
}

// ---------------------------------------------------------------------------------------------
// Size

TEST(ReceivedReply, TenThousandServices) {
    json services = json::array();
    for (int i = 1; i <= 10'000; ++i) {
        char name[16];
        std::snprintf(name, sizeof name, "x%05d", i);
        services.push_back(status_object(name, i));
    }
    const json value{{"jobs", json::array()}, {"services", services}};
    const auto line = reply_line(value);
    ASSERT_GT(line.size(), 2'900'000u);  // ~3 MB, as with 10,000 real services

    const auto result = result_of(line);
    const auto& statuses = result.statuses();
    ASSERT_EQ(statuses.size(), 10'000u);
    EXPECT_EQ(statuses.front().name, "x00001");
    EXPECT_EQ(statuses.front().pid, 30001);
    EXPECT_EQ(statuses.front().uptime_s, value["services"][0]["uptime_s"].get<double>());
    EXPECT_EQ(statuses.front().restarts, 1);
    EXPECT_EQ(statuses.back().name, "x10000");
    EXPECT_EQ(statuses.back().service, "x10000");
    EXPECT_EQ(statuses[6].name, "x00007");  // index 7: not up
    EXPECT_EQ(statuses[6].state, "backoff");
    EXPECT_EQ(statuses[6].pid, std::nullopt);
    EXPECT_EQ(statuses[6].uptime_s, std::nullopt);
    EXPECT_EQ(statuses[6].reason, "exited with status 1");
    EXPECT_EQ(statuses[12].message, "caf\xc3\xa9 \"quoted\" \\ tab\there");  // index 13: escapes
    EXPECT_EQ(result.json_text(), value.dump());
    EXPECT_EQ(render_status(result, {}), render_status(ReceivedResult(value), {}));
    const auto names = render_names(result);
    EXPECT_EQ(std::count(names.begin(), names.end(), '\n'), 10'000);
    EXPECT_EQ(status_exit_code(result), 4);
}

}  // namespace
}  // namespace vj::vjctl
