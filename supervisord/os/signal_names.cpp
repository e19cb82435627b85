// Signal names <-> numbers for Linux.
#include "os/signal_names.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <csignal>
#include <utility>

namespace vj::os {
namespace {

constexpr std::array<std::pair<std::string_view, int>, 31> table{{
    {"HUP", SIGHUP},   {"INT", SIGINT},       {"QUIT", SIGQUIT}, {"ILL", SIGILL},   {"TRAP", SIGTRAP},
    {"ABRT", SIGABRT}, {"BUS", SIGBUS},       {"FPE", SIGFPE},   {"KILL", SIGKILL}, {"USR1", SIGUSR1},
    {"SEGV", SIGSEGV}, {"USR2", SIGUSR2},     {"PIPE", SIGPIPE}, {"ALRM", SIGALRM}, {"TERM", SIGTERM},
    {"STKFLT", SIGSTKFLT}, {"CHLD", SIGCHLD}, {"CONT", SIGCONT}, {"STOP", SIGSTOP}, {"TSTP", SIGTSTP},
    {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU},     {"URG", SIGURG},   {"XCPU", SIGXCPU}, {"XFSZ", SIGXFSZ},
    {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF}, {"WINCH", SIGWINCH}, {"IO", SIGIO},   {"PWR", SIGPWR},
    {"SYS", SIGSYS},
}};

}  // namespace

std::optional<int> signal_from_name(std::string_view name) {
    int number = 0;
    auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), number);
    if (ec == std::errc() && end == name.data() + name.size())
        return number >= 1 && number < NSIG ? std::optional<int>(number) : std::nullopt;
    std::string upper(name);
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
    std::string_view bare = upper;
    if (bare.starts_with("SIG")) bare.remove_prefix(3);
    for (const auto& [n, v] : table)
        if (n == bare) return v;
    return std::nullopt;
}

std::string signal_name(int signo) {
    for (const auto& [n, v] : table)
        if (v == signo) return std::string(n);
    return std::to_string(signo);
}

}  // namespace vj::os
