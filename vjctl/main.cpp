// vjctl's entry point: hands the real process (argv, environment, terminal) to vj::vjctl::run.
#include <exception>
#include <iostream>

#include <sys/ioctl.h>
#include <unistd.h>

#include "app.hpp"
#include "exit_code.hpp"

namespace {

/// Columns of the terminal on stdout (tty_ioctl(4) TIOCGWINSZ); 0 when it is not one or will not say.
std::size_t stdout_terminal_width() {
    winsize size{};
    return ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 ? size.ws_col : 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const bool tty = ::isatty(STDOUT_FILENO) == 1;
        const vj::vjctl::Process process{
            {argv + (argc > 0 ? 1 : 0), argv + argc},
            vj::config::process_environment(),
            tty,
            tty ? stdout_terminal_width() : 0,
            std::cout,
            std::cerr,
        };
        const int status = vj::vjctl::run(process);
        std::cout.flush();
        return status;
    } catch (const std::exception& e) {
        std::cerr << "vjctl: error: internal error: " << e.what() << '\n';
        return vj::vjctl::exit_code::failed;
    }
}
