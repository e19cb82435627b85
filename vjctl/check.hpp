// `vjctl check`: validates a services.yaml with the config loader, without a daemon.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>

#include "config/loader.hpp"

namespace vj::vjctl {

/// The file to check: FILE, else -c, else $VJ_CONFIG (if not empty), else etc/services.yaml
/// when `cwd_has_default` (it exists in the working directory), else /etc/vj/services.yaml.
std::string choose_check_file(const std::optional<std::string>& file_argument,
                              const std::optional<std::string>& config_option, const config::Environment& env,
                              bool cwd_has_default);

/// The success line: "FILE: ok (N services)" ("1 service" for one), without a newline.
std::string check_ok_line(const std::string& file, std::size_t service_count);

/// Loads `file` with `env`; prints every diagnostic to `err` (one per line) and returns
/// exit_code::failed, or prints check_ok_line to `out` and returns exit_code::ok.
int run_check(const std::string& file, const config::Environment& env, std::ostream& out, std::ostream& err);

}  // namespace vj::vjctl
