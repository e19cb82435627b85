// Wildcard matching of include patterns against the file system (*, ? and [...] per path component).
#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

namespace vj::config {

/// True if `pattern` contains a wildcard: '*', '?' or '['.
bool has_wildcards(std::string_view pattern);

/// Matches one path component: '*' any run of characters, '?' one character, "[abc]",
/// "[a-z]" and "[!abc]" a character class. '/' never appears in `name`.
bool wildcard_match(std::string_view pattern, std::string_view name);

/// Every regular file (symlinks followed) matching `pattern`, sorted by path. Relative patterns
/// are matched from the current directory and the results stay relative. Wildcards do not match
/// a leading '.' unless the pattern component starts with one, as in sh. Unreadable directories
/// count as empty. No match is an empty list, not an error.
std::vector<std::filesystem::path> expand_glob(const std::filesystem::path& pattern);

}  // namespace vj::config
