// `vjctl check`: validates a services.yaml with the config loader, without a daemon.
#include "check.hpp"

#include <ostream>

#include "exit_code.hpp"

namespace vj::vjctl {

std::string choose_check_file(const std::optional<std::string>& file_argument,
                              const std::optional<std::string>& config_option, const config::Environment& env,
                              bool cwd_has_default) {
    if (file_argument && !file_argument->empty()) {
        return *file_argument;
    }
    if (config_option && !config_option->empty()) {
        return *config_option;
    }
    if (const auto it = env.find("VJ_CONFIG"); it != env.end() && !it->second.empty()) {
        return it->second;
    }
    return cwd_has_default ? "etc/services.yaml" : "/etc/vj/services.yaml";
}

std::string check_ok_line(const std::string& file, std::size_t service_count) {
    return file + ": ok (" + std::to_string(service_count) + (service_count == 1 ? " service)" : " services)");
}

int run_check(const std::string& file, const config::Environment& env, std::ostream& out, std::ostream& err) {
    const auto loaded = config::load(file, env);
    if (!loaded.diagnostics.empty() || !loaded.config) {
        for (const auto& diagnostic : loaded.diagnostics) {
            err << diagnostic.to_string() << '\n';
        }
        if (loaded.diagnostics.empty()) {
            err << "vjctl: error: " << file << ": not loaded, and the loader gave no reason\n";
        }
        return exit_code::failed;
    }
    out << check_ok_line(file, loaded.config->services.size()) << '\n';
    return exit_code::ok;
}

}  // namespace vj::vjctl
