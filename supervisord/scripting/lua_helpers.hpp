// The `vj` table of helpers for health scripts (vj-lua(7) HELPERS).
#pragma once

#include <optional>
#include <string_view>

struct lua_State;  // not <lua.hpp>: tests of parse_duration_seconds do not see Lua's headers

namespace vj::scripting {

/// Sets the globals `vj` and `print` (an alias of vj.log). Raises on out-of-memory: call it in
/// protected mode.
void open_vj_helpers(lua_State* L);

/// "250ms", "1.5s", "10m", "1h", "1d", sums like "1m30s", or a plain number of seconds ("30", "0.5").
/// nullopt for anything else, negative numbers included.
std::optional<double> parse_duration_seconds(std::string_view text);

}  // namespace vj::scripting
