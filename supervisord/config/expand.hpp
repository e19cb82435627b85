// Expansion of ${VAR} and ${VAR:-default} references inside config scalars.
#pragma once

#include <string>
#include <string_view>

#include "config/loader.hpp"
#include "config/value_parsers.hpp"

namespace vj::config {

/// Expands `${VAR}` and `${VAR:-default}` from `env`; `$$` is a literal `$` and any other `$` is
/// kept as written (so shell commands like "echo $HOME" pass through). As in sh, `:-` also
/// applies when VAR is set but empty, and the default may itself contain references.
/// Fails on an unset variable without default, an unterminated `${`, or a bad variable name.
Parsed<std::string> expand_variables(std::string_view text, const Environment& env);

}  // namespace vj::config
