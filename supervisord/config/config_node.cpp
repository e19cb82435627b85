// The loader's own YAML tree: lookup, description and the defaults merge.
#include "config/config_node.hpp"

#include <fmt/format.h>

namespace vj::config {

core::SourceLocation to_location(const Mark& mark) {
    return core::SourceLocation{mark.file ? mark.file->display : std::string(), mark.line, mark.column};
}

const MapEntry* ConfigNode::find_entry(std::string_view key) const {
    for (const auto& entry : entries)
        if (entry.key == key) return &entry;
    return nullptr;
}

const ConfigNode* ConfigNode::find(std::string_view key) const {
    const MapEntry* entry = find_entry(key);
    return entry ? &entry->value : nullptr;
}

std::string describe(const ConfigNode& node) {
    switch (node.kind) {
        case ConfigNode::Kind::scalar: return fmt::format("'{}'", node.text);
        case ConfigNode::Kind::sequence: return "a list";
        case ConfigNode::Kind::map: return "a map";
        case ConfigNode::Kind::null: break;
    }
    return "nothing";
}

ConfigNode merge(const ConfigNode& base, const ConfigNode& overlay) {
    // "restart:" with nothing under it is an empty map, which inherits everything.
    if (base.is_map() && overlay.is_null()) return base;
    if (!base.is_map() || !overlay.is_map()) return overlay;
    ConfigNode out = overlay;
    for (auto& entry : out.entries)
        if (const ConfigNode* under = base.find(entry.key)) entry.value = merge(*under, entry.value);
    for (const auto& entry : base.entries)
        if (!overlay.find_entry(entry.key)) out.entries.push_back(entry);
    return out;
}

}  // namespace vj::config
