// "Did you mean" hints for misspelt keys.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vj::config {

/// Edit distance counting insertions, deletions, substitutions and swaps of neighbours as one each.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate `key` was most likely meant to be: the closest one within edit distance 2
/// (and fewer edits than `key` has characters),
/// else the first that `key` is a prefix of (or that is a prefix of `key`); nullopt when
/// nothing is close. Ties go to the earlier candidate.
std::optional<std::string> did_you_mean(std::string_view key, const std::vector<std::string_view>& candidates);

}  // namespace vj::config
