// The status reply through the fakes: written directly (JsonWriter), it must be byte for byte what the
// nlohmann objects it replaced gave, for instances in every kind of state and with awkward strings.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "control/json_writer.hpp"
#include "control/protocol.hpp"
#include "fakes/fake_responder.hpp"
#include "fakes/supervisor_fixture.hpp"
#include "runtime/commands.hpp"
#include "runtime/supervisor.hpp"

namespace vj::runtime {
namespace {

using core::Verdict;
using nlohmann::json;
using namespace std::chrono_literals;

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

/// The status object as Supervisor::status_of and HealthMonitor::describe built it before the writer,
/// kept here frozen as the reference the wire bytes must not drift from.
json reference_status(const Instance& inst, core::Time now) {
    const auto& s = inst.state;
    auto seconds = [](core::Time::duration d) { return std::chrono::duration<double>(d).count(); };
    json j{{"name", inst.name},
           {"service", inst.spec->name},
           {"state", core::to_string(s.state)},
           {"goal", core::to_string(s.goal)},
           {"pid", nullptr},
           {"uptime_s", nullptr},
           {"since_s", seconds(now - s.since)},
           {"restarts", s.restarts},
           {"reason", s.reason}};
    const auto& h = inst.health;
    j["health"] = core::to_string(h.health);
    std::string message;
    const ProbeSlot* latest = nullptr;
    for (const auto& slot : h.slots) {
        if (!inst.state.pid) break;
        if ((slot->track.health == core::Health::unhealthy || slot->track.health == core::Health::degraded) &&
            message.empty())
            message = slot->name + ": " + slot->message;
        if (slot->kind == ProbeSlot::Kind::configured && slot->last_run &&
            (!latest || *slot->last_run >= *latest->last_run))
            latest = slot.get();
    }
    if (message.empty()) message = h.notify_status;
    if (message.empty() && latest) message = latest->name + ": " + latest->message;
    j["message"] = message;
    auto type_name = [](const ProbeSlot& slot) -> std::string {
        if (slot.kind == ProbeSlot::Kind::pid) return "pid";
        if (slot.kind == ProbeSlot::Kind::watchdog) return "watchdog";
        return slot.spec->type == core::ProbeType::command ? "command" : "other";
    };
    json probes = json::array();
    for (const auto& slot : h.slots) {
        json p{{"name", slot->name},
               {"type", type_name(*slot)},
               {"health", core::to_string(slot->track.health)},
               {"verdict", slot->last_verdict ? json(core::to_string(*slot->last_verdict)) : json(nullptr)},
               {"message", slot->message},
               {"age_s", nullptr}};
        if (slot->last_run) p["age_s"] = std::chrono::duration<double>(now - *slot->last_run).count();
        probes.push_back(std::move(p));
    }
    j["probes"] = std::move(probes);
    if (s.pid) {
        j["pid"] = *s.pid;
        j["uptime_s"] = seconds(now - s.spawned_at);
    }
    return j;
}

core::ServiceSpec service(const std::string& name, std::vector<std::string> probes = {}) {
    core::ServiceSpec s;
    s.name = name;
    s.argv = {"/bin/true"};
    s.restart.backoff.jitter = 0;
    s.restart.backoff.initial = 1s;
    s.on_unhealthy = core::OnUnhealthy::alert;
    for (const auto& probe : probes) {
        core::ProbeSpec p;
        p.type = core::ProbeType::command;
        p.name = probe;
        p.argv = {"/bin/true"};
        p.failures = 1;
        p.successes = 1;
        s.health.push_back(p);
    }
    return s;
}

class StatusJsonTest : public fakes::SupervisorFixture {
protected:
    /// Instances in every kind of state: running with probes that answered (healthy, unhealthy) or not
    /// yet, failing to spawn with a reason full of characters to escape, stopped, and two copies.
    void SetUp() override {
        launcher_.failing["broken"] = "cannot execute \"/opt/x\\y\":\tNo such file\n\x01 caf\xC3\xA9 \xff\xE2\x82";
        auto idle = service("idle");
        idle.autostart = false;
        auto pool = service("pool");
        pool.instances = 2;
        auto& sup = make({service("web", {"check"}), service("broken"), idle, pool, service("sick", {"ping", "slow"})});
        clock_.advance(1234ms);
        sup.start();
        clock_.advance(987ms);
        io_.restart();
        io_.poll();  // the probes' first runs (the fake clock is near the epoch: every timer is due)
        ASSERT_EQ(probes_.answer("check", Verdict::healthy, "fine \"200\""), 1);
        clock_.advance(1ms);
        ASSERT_EQ(probes_.answer("ping", Verdict::unhealthy, "refused\r\n"), 1);
        find("pool:1")->health.notify_status = "Serving \xF0\x9F\x98\x80 \x7f\x1b[0m";
        clock_.advance(3001ms);
    }

    std::vector<Instance*> all() {
        std::vector<Instance*> out;
        for (const auto& inst : sup_->instances()) out.push_back(inst.get());
        return out;
    }

    control::Reply request(const std::string& cmd, json args) {
        auto responder = std::make_shared<fakes::RecordingResponder>();
        handle_request(*sup_, control::Request{7, cmd, std::move(args)}, responder, [] {});
        EXPECT_EQ(responder->replies.size(), 1u);
        return responder->replies.empty() ? control::Reply{} : responder->replies.front();
    }
};

TEST_F(StatusJsonTest, EachInstanceIsWrittenAsTheNlohmannObjectWas) {
    ASSERT_EQ(all().size(), 6u);
    for (auto* inst : all()) {
        control::JsonWriter w;
        sup_->write_status(*inst, w);
        EXPECT_EQ(w.text(), dump(reference_status(*inst, clock_.now()))) << inst->name;
    }
}

TEST_F(StatusJsonTest, StatusOfIsTheWrittenObjectParsed) {
    for (auto* inst : all()) {
        control::JsonWriter w;
        sup_->write_status(*inst, w);
        EXPECT_EQ(sup_->status_of(*inst), json::parse(w.text())) << inst->name;
        EXPECT_EQ(sup_->status_of(*inst), json::parse(dump(reference_status(*inst, clock_.now())))) << inst->name;
    }
}

TEST_F(StatusJsonTest, StatusReplyIsTheOldReplyByteForByte) {
    const auto reply = request("status", json::object());
    ASSERT_TRUE(std::holds_alternative<control::RawJson>(reply.body));
    json services = json::array();
    for (auto* inst : all()) services.push_back(reference_status(*inst, clock_.now()));
    const json old_result{{"services", services}, {"jobs", json::array()}};
    EXPECT_EQ(control::encode(reply), control::encode(control::Reply{7, old_result}));
    EXPECT_EQ(control::result_of(reply), json::parse(dump(old_result)));
}

TEST_F(StatusJsonTest, StatusReplyHoldsTheExpectedFields) {
    const auto result = control::result_of(request("status", json::object()));
    ASSERT_EQ(result["jobs"], json::array());
    const auto& services = result["services"];
    ASSERT_EQ(services.size(), 6u);
    std::vector<std::string> names;
    for (const auto& s : services) names.push_back(s["name"]);
    EXPECT_EQ(names, (std::vector<std::string>{"web", "broken", "idle", "pool:0", "pool:1", "sick"}));

    const auto& web = services[0];
    EXPECT_EQ(web["service"], "web");
    EXPECT_EQ(web["state"], "running");
    EXPECT_EQ(web["goal"], "up");
    EXPECT_EQ(web["pid"], 1000);
    EXPECT_EQ(web["health"], "healthy");
    EXPECT_EQ(web["message"], "check: fine \"200\"");
    EXPECT_EQ(web["restarts"], 0);
    EXPECT_DOUBLE_EQ(web["uptime_s"].get<double>(), 3.989);
    EXPECT_DOUBLE_EQ(web["since_s"].get<double>(), 3.989);
    ASSERT_EQ(web["probes"].size(), 2u);
    EXPECT_EQ(web["probes"][0]["type"], "pid");
    EXPECT_EQ(web["probes"][1], (json{{"name", "check"},
                                      {"type", "command"},
                                      {"health", "healthy"},
                                      {"verdict", "healthy"},
                                      {"message", "fine \"200\""},
                                      {"age_s", 3.002}}));

    const auto& broken = services[1];
    EXPECT_EQ(broken["state"], "backoff");
    EXPECT_EQ(broken["pid"], nullptr);
    EXPECT_EQ(broken["uptime_s"], nullptr);
    EXPECT_EQ(broken["reason"],
              "cannot execute \"/opt/x\\y\":\tNo such file\n\x01 caf\xC3\xA9 \xEF\xBF\xBD\xEF\xBF\xBD, restarting in 1s");

    const auto& idle = services[2];
    EXPECT_EQ(idle["state"], "stopped");
    EXPECT_EQ(idle["goal"], "down");
    EXPECT_EQ(idle["message"], "");
    EXPECT_EQ(idle["probes"][0]["age_s"], nullptr);
    EXPECT_EQ(idle["probes"][0]["verdict"], nullptr);

    EXPECT_EQ(services[4]["message"], "Serving \xF0\x9F\x98\x80 \x7f\x1b[0m");

    const auto& sick = services[5];
    EXPECT_EQ(sick["health"], "unhealthy");
    EXPECT_EQ(sick["message"], "ping: refused\r\n");
    EXPECT_EQ(sick["probes"][2]["name"], "slow");
    EXPECT_EQ(sick["probes"][2]["verdict"], nullptr);
    EXPECT_EQ(sick["probes"][2]["age_s"], nullptr);
}

TEST_F(StatusJsonTest, StatusOfNamedInstancesAndUnknownNames) {
    const auto pool = control::result_of(request("status", {{"names", {"pool"}}}));
    ASSERT_EQ(pool["services"].size(), 2u);
    EXPECT_EQ(pool["services"][0], reference_status(*find("pool:0"), clock_.now()));
    EXPECT_EQ(pool["services"][1], reference_status(*find("pool:1"), clock_.now()));

    const auto unknown = request("status", {{"names", {"nope"}}});
    ASSERT_TRUE(std::holds_alternative<control::Error>(unknown.body));
    EXPECT_EQ(std::get<control::Error>(unknown.body).code, control::errc::no_such_service);
}

TEST_F(StatusJsonTest, WaitRepliesWithTheStatusObjects) {
    const auto reply = request("wait", {{"names", {"web", "sick"}}, {"states", {"running"}}});
    ASSERT_TRUE(std::holds_alternative<json>(reply.body));
    EXPECT_EQ(std::get<json>(reply.body),
              (json{{"services", {json::parse(dump(reference_status(*find("web"), clock_.now()))),
                                  json::parse(dump(reference_status(*find("sick"), clock_.now())))}}}));
}

using NoServicesTest = fakes::SupervisorFixture;

TEST_F(NoServicesTest, StatusWithoutNamesStillSaysNoServiceMatches) {
    auto& sup = make({});
    auto responder = std::make_shared<fakes::RecordingResponder>();
    handle_request(sup, control::Request{3, "status", json::object()}, responder, [] {});
    ASSERT_EQ(responder->replies.size(), 1u);
    EXPECT_EQ(responder->replies.front(),
              (control::Reply{3, control::Error{"no_such_service", "no service matches 'all'"}}));
}

}  // namespace
}  // namespace vj::runtime
