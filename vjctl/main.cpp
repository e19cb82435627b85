// vjctl's entry point: hands the real process (argv, environment, terminal) to vj::vjctl::run.
#include <exception>
#include <iostream>

#include <unistd.h>

#include "app.hpp"
#include "exit_code.hpp"

int main(int argc, char** argv) {
    try {
        const vj::vjctl::Process process{
            {argv + (argc > 0 ? 1 : 0), argv + argc},
            vj::config::process_environment(),
            ::isatty(STDOUT_FILENO) == 1,
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
