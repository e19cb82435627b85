// Typed reads of ConfigNode values that report what was expected, at the value's position.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config_node.hpp"
#include "config/diagnostic_sink.hpp"
#include "core/spec.hpp"

namespace vj::config {

/// Every read returns nullopt after reporting "PATH: expected ..., got ..." at the node; a node
/// whose variable expansion already failed is not reported twice. `path` is the dotted key
/// path users see in messages ("stop.timeout").
class ValueReader {
public:
    explicit ValueReader(DiagnosticSink& sink) : sink_(sink) {}

    /// A string scalar; `what` names it in messages ("a user name or id"); empty fails unless allowed.
    std::optional<std::string> string(const ConfigNode& node, std::string_view path, std::string_view what,
                                      bool allow_empty = false);
    /// A path, made absolute against the directory of the file the node was written in, and
    /// lexically normalised (no trailing '/').
    std::optional<std::string> path(const ConfigNode& node, std::string_view path);
    std::optional<core::Duration> duration(const ConfigNode& node, std::string_view path);
    /// A duration of at least `min` ("expected a duration of at least 100ms, got '50ms'").
    std::optional<core::Duration> duration(const ConfigNode& node, std::string_view path, core::Duration min);
    /// A program to run: a non-empty list of strings (argv; only the first must be non-empty), or
    /// a string that is not blank, which becomes {"/bin/sh", "-c", STRING}. Items are reported
    /// as PATH[I]. nullopt after reporting.
    std::optional<std::vector<std::string>> argv(const ConfigNode& node, std::string_view path);
    /// A size in bytes ("10MiB", "0").
    std::optional<std::uint64_t> size(const ConfigNode& node, std::string_view path);
    /// An integer in [min, max]; `what` describes the range ("an integer from 1 to 1000").
    std::optional<std::int64_t> integer(const ConfigNode& node, std::string_view path, std::int64_t min,
                                        std::int64_t max, std::string_view what);
    /// A number of at least `min`.
    std::optional<double> number(const ConfigNode& node, std::string_view path, double min);
    std::optional<bool> boolean(const ConfigNode& node, std::string_view path);
    std::optional<double> fraction(const ConfigNode& node, std::string_view path);
    std::optional<unsigned> octal_mode(const ConfigNode& node, std::string_view path);

    /// The node if it is a map; nullptr (silently) if null, which means "use the defaults";
    /// nullptr after reporting if it is anything else.
    const ConfigNode* map(const ConfigNode* node, std::string_view path);

    /// Reports "PATH: MESSAGE" at the node unless its expansion already failed.
    void fail(const ConfigNode& node, std::string_view path, std::string_view message);
    /// Reports "PATH: expected WHAT, got DESCRIPTION".
    void expected(const ConfigNode& node, std::string_view path, std::string_view what);

private:
    /// The scalar text to parse, or nullopt after reporting a non-scalar.
    std::optional<std::string_view> scalar(const ConfigNode& node, std::string_view path, std::string_view what);

    DiagnosticSink& sink_;
};

/// Absolute, lexically normal form of `path` relative to `base` (no trailing '/', except "/").
std::string resolve_path(const std::filesystem::path& base, const std::filesystem::path& path);

}  // namespace vj::config
