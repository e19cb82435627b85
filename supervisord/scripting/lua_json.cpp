// Parsing with nlohmann::json (depth-limited), then building the Lua value in protected mode.
#include "scripting/lua_json.hpp"

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "scripting/lua_protect.hpp"

namespace vj::scripting {
namespace {

/// Whether `text` opens more than kMaxJsonDepth objects or arrays at once (brackets inside strings
/// do not count). A scan rather than nlohmann's parser callback, whose cost grows with the square
/// of an array's length.
bool too_deep(std::string_view text) {
    int depth = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\') {
                ++i;
            } else if (c == '"') {
                in_string = false;
            }
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > kMaxJsonDepth) return true;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return false;
}

/// Parses `text`; on failure returns null with `error` set ("invalid JSON: ...").
nlohmann::json parse_limited(std::string_view text, std::string& error) {
    // Deeper documents are refused before parsing, so the conversion below never recurses deeper
    // than kMaxJsonDepth.
    if (too_deep(text)) {
        error = "invalid JSON: nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
        return nullptr;
    }
    try {
        return nlohmann::json::parse(text.begin(), text.end());
    } catch (const nlohmann::json::exception& e) {
        // what() is "[json.exception.parse_error.101] parse error at line 1, ...": drop the tag.
        std::string_view what = e.what();
        if (const auto tag_end = what.find("] "); what.starts_with("[json.exception") && tag_end != what.npos) {
            what.remove_prefix(tag_end + 2);
        }
        error = "invalid JSON: " + std::string(what);
    }
    return nullptr;
}

/// Pushes `j` as a Lua value. Raises on out-of-memory, so it runs under push_protected; it holds
/// only references and iterators (nothing with a destructor).
void push_json(lua_State* L, const nlohmann::json& j) {
    luaL_checkstack(L, 3, "JSON document too deep");
    switch (j.type()) {
        case nlohmann::json::value_t::boolean:
            lua_pushboolean(L, j.get<bool>());
            break;
        case nlohmann::json::value_t::number_integer:
            lua_pushinteger(L, static_cast<lua_Integer>(j.get<std::int64_t>()));
            break;
        case nlohmann::json::value_t::number_unsigned: {
            const auto u = j.get<std::uint64_t>();
            if (u <= static_cast<std::uint64_t>(std::numeric_limits<lua_Integer>::max())) {
                lua_pushinteger(L, static_cast<lua_Integer>(u));
            } else {
                lua_pushnumber(L, static_cast<lua_Number>(u));
            }
            break;
        }
        case nlohmann::json::value_t::number_float:
            lua_pushnumber(L, j.get<double>());
            break;
        case nlohmann::json::value_t::string: {
            const auto& s = j.get_ref<const std::string&>();
            lua_pushlstring(L, s.data(), s.size());
            break;
        }
        case nlohmann::json::value_t::array: {
            lua_createtable(L, static_cast<int>(std::min<std::size_t>(j.size(), 1u << 20)), 0);
            lua_Integer i = 0;
            for (auto it = j.cbegin(); it != j.cend(); ++it) {
                push_json(L, *it);
                lua_rawseti(L, -2, ++i);  // null leaves a hole, as nil does in a Lua sequence
            }
            break;
        }
        case nlohmann::json::value_t::object: {
            lua_createtable(L, 0, static_cast<int>(std::min<std::size_t>(j.size(), 1u << 20)));
            for (auto it = j.cbegin(); it != j.cend(); ++it) {
                const auto& key = it.key();
                lua_pushlstring(L, key.data(), key.size());
                push_json(L, it.value());
                lua_rawset(L, -3);  // a null value sets nothing: the key is absent
            }
            break;
        }
        default:  // null, and binary/discarded, which parsing JSON text does not produce
            lua_pushnil(L);
            break;
    }
}

/// json_decode's body: the parse result and error live here; -1 means an error is on the stack.
int decode(lua_State* L, std::string_view text) {
    std::string error;
    const nlohmann::json doc = parse_limited(text, error);
    if (!error.empty()) return push_nil_and(L, error);
    auto push = [&](lua_State* L) {
        push_json(L, doc);
        return 1;
    };
    return push_protected(L, push);
}

}  // namespace

int json_decode(lua_State* L) {
    std::size_t length = 0;
    const char* text = luaL_checklstring(L, 1, &length);
    if (length > kMaxJsonBytes) {
        lua_pushnil(L);
        lua_pushfstring(L, "invalid JSON: the text is %I bytes, more than the limit of 1 MiB",
                        static_cast<lua_Integer>(length));
        return 2;
    }
    return raise_if_failed(L, decode(L, std::string_view(text, length)));
}

}  // namespace vj::scripting
