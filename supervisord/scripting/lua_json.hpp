// JSON text to Lua values, for vj.json_decode and ctx.args.
#pragma once

#include <lua.hpp>

#include <cstddef>

namespace vj::scripting {

/// Objects and arrays nest at most this deep; deeper documents are refused, not recursed into.
constexpr int kMaxJsonDepth = 64;
/// Longer texts are refused: parsing happens outside the state's memory cap.
constexpr std::size_t kMaxJsonBytes = 1u << 20;

/// vj.json_decode(text) -> value, or nil, "invalid JSON: ...". Objects and arrays become tables
/// (arrays from index 1), null becomes nil, integers stay integers. Raises only on out-of-memory.
int json_decode(lua_State* L);

}  // namespace vj::scripting
