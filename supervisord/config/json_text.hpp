// YAML values as JSON text, typed the way YAML 1.2's core schema types plain scalars (for Lua probe `args`).
#pragma once

#include <string>
#include <string_view>

#include "config/config_node.hpp"

namespace vj::config {

/// `text` as a JSON string literal, quotes included; control characters are escaped, other
/// bytes (UTF-8) pass through.
std::string json_string(std::string_view text);

/// The JSON form of one scalar. A quoted (not `plain`) scalar is always a string. A plain one is
/// typed by YAML 1.2's core schema: null/Null/NULL/~ and the empty scalar are null;
/// true/True/TRUE/false/False/FALSE booleans; decimal, 0o octal and 0x hex integers and
/// decimal floats are numbers (written as JSON numbers: "+1" is 1, ".5" is 0.5, "0x1f" is 31);
/// everything else is a string ("30s", "yes", "1.2.3"). `.inf` and `.nan` stay strings, since
/// JSON has no such numbers, and so do integers beyond 64 bits.
std::string json_scalar(std::string_view text, bool plain);

/// `node` as JSON: maps are objects (keys in file order; a repeated key keeps its first value),
/// lists arrays, scalars per json_scalar, null null.
std::string to_json(const ConfigNode& node);

}  // namespace vj::config
