// Reads one YAML file into a ConfigNode tree, expanding ${VAR} references in its scalars.
#pragma once

#include <optional>
#include <string_view>

#include "config/config_node.hpp"
#include "config/diagnostic_sink.hpp"
#include "config/loader.hpp"

namespace vj::config {

/// Opens `file.display` as given, parses it and expands every scalar (never keys) from `env`.
/// A file that cannot be read or is not valid YAML yields one diagnostic and nullopt; a scalar
/// that fails to expand yields a diagnostic and a node marked `expansion_failed`.
/// An empty file is a null node.
std::optional<ConfigNode> read_config_file(const SourceFile& file, const Environment& env, DiagnosticSink& sink);

/// As read_config_file, for text already in memory (positions still name `file`).
std::optional<ConfigNode> parse_config_text(std::string_view text, const SourceFile& file, const Environment& env,
                                            DiagnosticSink& sink);

}  // namespace vj::config
