// The loader's own YAML tree: every node knows the file, line and column it was written at.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/spec.hpp"

namespace vj::config {

/// One file that was read (or tried). Owned by the loader; nodes point at it.
struct SourceFile {
    std::string display;          ///< the path as it appears in messages
    std::filesystem::path dir;    ///< absolute directory, for resolving relative paths in it
    int order = 0;                ///< position in reading order, for sorting diagnostics
};

/// A position in a SourceFile; line and column are 1-based, 0 when unknown.
struct Mark {
    const SourceFile* file = nullptr;
    int line = 0;
    int column = 0;
};

/// "FILE:LINE:COL" as a core::SourceLocation.
core::SourceLocation to_location(const Mark& mark);

struct MapEntry;

/// A YAML node after variable expansion. yaml-cpp nodes cannot say which file they came from,
/// and after defaults are merged into a service its values come from several files, so the
/// loader converts every document into this tree first (see yaml_reader.hpp).
struct ConfigNode {
    enum class Kind { null, scalar, sequence, map };
    Kind kind = Kind::null;
    std::string text;               ///< scalar text after `${}` expansion, as written otherwise
    bool expansion_failed = false;  ///< already reported; validators stay silent about it
    bool plain = false;             ///< a scalar written without quotes, block style or tag: may be a number
    std::vector<ConfigNode> items;  ///< sequence items
    std::vector<MapEntry> entries;  ///< map entries in file order (duplicates kept; first wins)
    Mark where;                     ///< for a missing (null) map value: the key's position

    bool is_map() const { return kind == Kind::map; }
    bool is_scalar() const { return kind == Kind::scalar; }
    bool is_sequence() const { return kind == Kind::sequence; }
    bool is_null() const { return kind == Kind::null; }

    /// The value of the first entry named `key`, or nullptr (also when this is not a map).
    const ConfigNode* find(std::string_view key) const;
    /// The first entry named `key`, or nullptr.
    const MapEntry* find_entry(std::string_view key) const;
};

struct MapEntry {
    std::string key;
    Mark key_where;
    ConfigNode value;
};

/// How a node reads in a message: 'text' for scalars, "a map", "a list", "nothing".
std::string describe(const ConfigNode& node);

/// `overlay` on top of `base`: where both are maps the result has every key of both, merging
/// values present in both recursively; otherwise `overlay` wins whole (scalars and lists
/// replace); a null `overlay` over a map counts as an empty map. Entry order: overlay's entries
/// first, then base-only entries.
ConfigNode merge(const ConfigNode& base, const ConfigNode& overlay);

}  // namespace vj::config
