// The vjctl program: parses the command line, finds the socket, runs the command.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

#include "config/loader.hpp"

namespace vj::vjctl {

/// What the program sees of its surroundings; main() fills it from the real process.
struct Process {
    std::vector<std::string> args;  ///< without the program name
    config::Environment env;
    bool stdout_is_tty = false;
    std::size_t terminal_width = 0;  ///< columns of the terminal on stdout; 0 when unknown or not one
    std::ostream& out;
    std::ostream& err;
};

/// Runs vjctl and returns its exit status. Talks to the real socket; may throw only on
/// resource exhaustion (main catches).
int run(const Process& process);

}  // namespace vj::vjctl
