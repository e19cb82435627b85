// vj-osc-monitor: prints and counts the OSC traffic on UDP ports; see vj-osc-monitor(1).
#include <variant>

#include "monitor_app.hpp"
#include "monitor_options.hpp"

int main(int argc, char** argv) {
    auto parsed = vj::osc_monitor::parse_options(argc, argv);
    if (const int* status = std::get_if<int>(&parsed)) return *status;
    return vj::osc_monitor::run_monitor(std::move(std::get<vj::osc_monitor::MonitorOptions>(parsed)));
}
