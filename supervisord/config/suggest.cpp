// "Did you mean" hints for misspelt keys.
#include "config/suggest.hpp"

#include <algorithm>

namespace vj::config {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    // Optimal string alignment over three rolling rows; keys are short, so no cleverness needed.
    const std::size_t n = b.size();
    std::vector<std::size_t> before(n + 1), previous(n + 1), current(n + 1);
    for (std::size_t j = 0; j <= n; ++j) previous[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        current[0] = i;
        for (std::size_t j = 1; j <= n; ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                current[j] = std::min(current[j], before[j - 2] + 1);
        }
        before.swap(previous);
        previous.swap(current);
    }
    return previous[n];
}

std::optional<std::string> did_you_mean(std::string_view key, const std::vector<std::string_view>& candidates) {
    std::optional<std::string_view> best;
    std::size_t best_distance = 3;
    for (const auto candidate : candidates) {
        const std::size_t d = edit_distance(key, candidate);
        // Two edits can turn a two-letter key into any other; keep at least one letter in common.
        if (d < best_distance && d < key.size()) {
            best = candidate;
            best_distance = d;
        }
    }
    if (best) return std::string(*best);
    // A prefix catches abbreviations ("stable" for "stable_after") that are too far for the distance.
    // Two characters at least, or every one-letter typo would "match" something.
    if (key.size() >= 2) {
        for (const auto candidate : candidates)
            if (candidate.starts_with(key) || key.starts_with(candidate)) return std::string(candidate);
    }
    return std::nullopt;
}

}  // namespace vj::config
