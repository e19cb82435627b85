// Stable spec hashing: FNV-1a over a canonical rendering of every behavioural field.
#include "core/spec.hpp"

#include <string_view>

namespace vj::core {
namespace {

struct Fnv {
    std::uint64_t h = 1469598103934665603ull;
    void bytes(std::string_view s) {
        for (unsigned char c : s) {
            h ^= c;
            h *= 1099511628211ull;
        }
        // A terminator keeps {"ab","c"} apart from {"a","bc"}.
        h ^= 0xff;
        h *= 1099511628211ull;
    }
    void num(long long v) { bytes(std::to_string(v)); }
    void real(double v) { bytes(std::to_string(v)); }
};

}  // namespace

std::uint64_t spec_hash(const ServiceSpec& s) {
    Fnv f;
    f.bytes(s.name);
    f.num(static_cast<long long>(s.argv.size()));
    for (const auto& a : s.argv) f.bytes(a);
    f.bytes(s.cwd.value_or("\x01"));
    f.num(static_cast<long long>(s.env.size()));
    for (const auto& [k, v] : s.env) {
        f.bytes(k);
        f.bytes(v);
    }
    f.bytes(s.user.value_or("\x01"));
    f.bytes(s.group.value_or("\x01"));
    f.num(s.umask ? static_cast<long long>(*s.umask) : -1);
    f.num(s.nofile ? static_cast<long long>(*s.nofile) : -1);
    f.num(s.autostart);
    f.num(s.instances);
    for (const auto& d : s.depends_on) f.bytes(d);
    f.num(s.ready.after.count());
    f.bytes(s.ready.probe.value_or("\x01"));
    f.num(s.ready.notify);  // NOTIFY_SOCKET and WATCHDOG_USEC are in the child's environment
    f.num(s.ready.watchdog ? s.ready.watchdog->count() : -1);
    f.num(s.ready.timeout ? s.ready.timeout->count() : -1);
    f.num(static_cast<int>(s.restart.policy));
    for (int c : s.restart.success_codes) f.num(c);
    f.num(s.restart.backoff.initial.count());
    f.real(s.restart.backoff.factor);
    f.num(s.restart.backoff.max.count());
    f.real(s.restart.backoff.jitter);
    f.num(s.restart.stable_after.count());
    f.num(s.restart.limit.attempts);
    f.num(s.restart.limit.window.count());
    f.num(s.restart.limit.cooloff ? s.restart.limit.cooloff->count() : -1);
    f.num(s.stop.signal);
    f.num(s.stop.timeout.count());
    f.num(s.stop.group);
    return f.h;
}

}  // namespace vj::core
