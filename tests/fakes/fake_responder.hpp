// A Responder that records what a command sent back, for tests that call handle_request directly.
#pragma once

#include <functional>
#include <vector>

#include "control/server.hpp"

namespace vj::fakes {

class RecordingResponder final : public control::Responder {
public:
    void reply(control::Reply r) override { replies.push_back(std::move(r)); }
    void event(control::StreamEvent e) override { events.push_back(std::move(e)); }
    void on_close(std::function<void()> f) override { closers.push_back(std::move(f)); }
    /// Simulates the client hanging up.
    void close() {
        for (auto& f : closers) f();
        closers.clear();
    }

    std::vector<control::Reply> replies;
    std::vector<control::StreamEvent> events;
    std::vector<std::function<void()>> closers;
};

}  // namespace vj::fakes
