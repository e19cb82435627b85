// Writes JSON text straight into a string, byte for byte as nlohmann's dump() would; pure, no I/O.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace vj::control {

/// A forward-only JSON writer for large replies (status of thousands of instances): values are
/// appended to one string instead of building a tree of nlohmann::json nodes first.
///
/// Contract: for the same values, the bytes equal nlohmann's `dump()` without indent and with
/// `error_handler_t::replace` (what control::encode uses), keys in the order they are written. To
/// replace an nlohmann object without changing the wire bytes, write its keys sorted (nlohmann keeps
/// objects in a std::map). The caller keeps the structure well formed: every begin has its end, and
/// inside an object each value is preceded by exactly one key.
class JsonWriter {
public:
    void reserve(std::size_t bytes) { out_.reserve(bytes); }

    void begin_object();
    void end_object();
    void begin_array();
    void end_array();
    /// An object member's name; the next call writes its value.
    void key(std::string_view name);

    void string(std::string_view s);
    void integer(std::int64_t n);
    /// NaN and infinities are written as null, as nlohmann does.
    void number(double x);
    void boolean(bool b);
    void null();

    /// The text so far.
    const std::string& text() const { return out_; }
    /// Hands over the text; the writer is empty afterwards.
    std::string take();

private:
    void before_value();

    std::string out_;
    bool need_comma_ = false;  ///< a complete value precedes in the current container
    bool after_key_ = false;   ///< the next value is an object member's (no comma before it)
};

/// Appends `s` as a JSON string literal, quotes included. Escapes `"` `\` and the control characters
/// below U+0020 (\b \t \n \f \r, others as \u00xx); passes valid UTF-8 through; replaces each invalid
/// sequence with U+FFFD exactly where nlohmann's replace handler does, so the result is valid JSON.
void append_json_string(std::string& out, std::string_view s);

/// Appends `x` as nlohmann's dump() prints a double: its Grisu2 digits, "1.0" for integral values,
/// exponent form outside [1e-4, 1e15); NaN and infinities as null.
void append_json_number(std::string& out, double x);

}  // namespace vj::control
