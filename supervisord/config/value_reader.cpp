// Typed reads of ConfigNode values that report what was expected, at the value's position.
#include "config/value_reader.hpp"

#include <fmt/format.h>

#include "config/value_parsers.hpp"

namespace vj::config {

std::string resolve_path(const std::filesystem::path& base, const std::filesystem::path& path) {
    std::filesystem::path full = (path.is_absolute() ? path : base / path).lexically_normal();
    std::string text = full.string();
    while (text.size() > 1 && text.back() == '/') text.pop_back();
    return text;
}

void ValueReader::fail(const ConfigNode& node, std::string_view path, std::string_view message) {
    if (node.expansion_failed) return;
    sink_.add(node.where, fmt::format("{}: {}", path, message));
}

void ValueReader::expected(const ConfigNode& node, std::string_view path, std::string_view what) {
    fail(node, path, fmt::format("expected {}, got {}", what, describe(node)));
}

std::optional<std::string_view> ValueReader::scalar(const ConfigNode& node, std::string_view path,
                                                    std::string_view what) {
    if (node.expansion_failed) return std::nullopt;
    if (!node.is_scalar()) {
        expected(node, path, what);
        return std::nullopt;
    }
    return std::string_view(node.text);
}

std::optional<std::string> ValueReader::string(const ConfigNode& node, std::string_view path, std::string_view what,
                                               bool allow_empty) {
    const auto text = scalar(node, path, what);
    if (!text) return std::nullopt;
    if (text->empty() && !allow_empty) {
        expected(node, path, what);
        return std::nullopt;
    }
    return std::string(*text);
}

std::optional<std::string> ValueReader::path(const ConfigNode& node, std::string_view path) {
    const auto text = string(node, path, "a path");
    if (!text) return std::nullopt;
    return resolve_path(node.where.file->dir, *text);
}

std::optional<core::Duration> ValueReader::duration(const ConfigNode& node, std::string_view path) {
    const auto text = scalar(node, path, "a duration like 10s");
    if (!text) return std::nullopt;
    auto parsed = parse_duration(*text);
    if (!parsed) fail(node, path, parsed.error);
    return parsed.value;
}

std::optional<core::Duration> ValueReader::duration(const ConfigNode& node, std::string_view path,
                                                   core::Duration min) {
    const auto value = duration(node, path);
    if (value && *value < min) {
        expected(node, path, fmt::format("a duration of at least {}", format_duration(min)));
        return std::nullopt;
    }
    return value;
}

std::optional<std::vector<std::string>> ValueReader::argv(const ConfigNode& node, std::string_view path) {
    constexpr std::string_view what = "a list of strings (argv) or a string (run by /bin/sh -c)";
    if (node.is_scalar()) {
        if (node.expansion_failed) return std::nullopt;
        if (node.text.find_first_not_of(" \t\n") == std::string::npos) {
            expected(node, path, what);
            return std::nullopt;
        }
        return std::vector<std::string>{"/bin/sh", "-c", node.text};
    }
    if (!node.is_sequence() || node.items.empty()) {
        expected(node, path, what);
        return std::nullopt;
    }
    std::vector<std::string> out;
    bool ok = true;
    for (std::size_t i = 0; i < node.items.size(); ++i) {
        // An empty program name cannot be executed; later arguments may well be "".
        auto arg = string(node.items[i], fmt::format("{}[{}]", path, i), "a string", i > 0);
        if (arg) out.push_back(std::move(*arg));
        else ok = false;
    }
    if (!ok) return std::nullopt;
    return out;
}

std::optional<std::uint64_t> ValueReader::size(const ConfigNode& node, std::string_view path) {
    const auto text = scalar(node, path, "a size like 10MiB");
    if (!text) return std::nullopt;
    auto parsed = parse_size(*text);
    if (!parsed) fail(node, path, parsed.error);
    return parsed.value;
}

std::optional<std::int64_t> ValueReader::integer(const ConfigNode& node, std::string_view path, std::int64_t min,
                                                 std::int64_t max, std::string_view what) {
    const auto text = scalar(node, path, what);
    if (!text) return std::nullopt;
    const auto parsed = parse_integer(*text);
    if (!parsed || *parsed.value < min || *parsed.value > max) {
        expected(node, path, what);
        return std::nullopt;
    }
    return parsed.value;
}

std::optional<double> ValueReader::number(const ConfigNode& node, std::string_view path, double min) {
    const std::string what = fmt::format("a number of at least {}", min);
    const auto text = scalar(node, path, what);
    if (!text) return std::nullopt;
    const auto parsed = parse_number(*text);
    if (!parsed || *parsed.value < min) {
        expected(node, path, what);
        return std::nullopt;
    }
    return parsed.value;
}

std::optional<bool> ValueReader::boolean(const ConfigNode& node, std::string_view path) {
    const auto text = scalar(node, path, "true or false");
    if (!text) return std::nullopt;
    auto parsed = parse_bool(*text);
    if (!parsed) fail(node, path, parsed.error);
    return parsed.value;
}

std::optional<double> ValueReader::fraction(const ConfigNode& node, std::string_view path) {
    const auto text = scalar(node, path, "a percentage from 0% to 100% (like 10%) or a fraction from 0 to 1");
    if (!text) return std::nullopt;
    auto parsed = parse_fraction(*text);
    if (!parsed) fail(node, path, parsed.error);
    return parsed.value;
}

std::optional<unsigned> ValueReader::octal_mode(const ConfigNode& node, std::string_view path) {
    const auto text = scalar(node, path, "an octal mode like 0600");
    if (!text) return std::nullopt;
    auto parsed = parse_octal_mode(*text);
    if (!parsed) fail(node, path, parsed.error);
    return parsed.value;
}

const ConfigNode* ValueReader::map(const ConfigNode* node, std::string_view path) {
    if (!node || node->is_null()) return nullptr;
    if (node->is_map()) return node;
    expected(*node, path, "a map");
    return nullptr;
}

}  // namespace vj::config
