// Which OSC address each of vj-audio's outputs goes to: the defaults under --prefix, and the
// per-target remapping of --map HOST:PORT,NAME=ADDRESS,... Pure.
// Part of vj-audio: GPL-3.0-or-later, because the program links aubio (GPL-3+).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/system/result.hpp>

namespace vj::audio::program {

/// vj-audio's outputs, as --map names them. The first six travel in the per-frame bundle; onset,
/// beat and bpm are events sent as messages of their own.
enum class Output : std::uint8_t { level, bass, mid, midhigh, high, bands, onset, beat, bpm };
inline constexpr std::size_t output_count = 9;
inline constexpr std::array<std::string_view, output_count> output_names{"level", "bass", "mid",  "midhigh", "high",
                                                                          "bands", "onset", "beat", "bpm"};

/// The output called `name`, or nullopt.
std::optional<Output> output_named(std::string_view name);

/// Where each output goes for one target, indexed by Output: an OSC address, or nullopt for "not
/// sent to this target".
using Addresses = std::array<std::optional<std::string>, output_count>;

/// PREFIX/NAME for every output. Precondition: check_prefix(prefix) passed.
Addresses default_addresses(std::string_view prefix);

/// Nothing, or what is wrong with `address` as an address vj-audio sends to: it must start with
/// '/', and may hold neither spaces, control characters nor the pattern characters # * , ? [ ] { }
/// (a receiver would read them as a pattern or reject the message).
std::optional<std::string> check_address(std::string_view address);
/// As check_address, and no trailing '/': PREFIX/NAME must not come out as PREFIX//NAME.
std::optional<std::string> check_prefix(std::string_view prefix);

/// One NAME=ADDRESS of a --map: `output` nullopt means every output not named by another rule
/// (written "*"); `address` nullopt means "do not send" (written "-").
struct MapRule {
    std::optional<Output> output;
    std::optional<std::string> address;
    bool operator==(const MapRule&) const = default;
};

/// One --map value: the target as written, and its rules in order.
struct MapSpec {
    std::string target;
    std::vector<MapRule> rules;
};

/// Parses "HOST:PORT,NAME=ADDRESS[,NAME=ADDRESS...]". "*" is allowed only as "*=-" (send only what
/// the other rules name). The error is a phrase naming the text: "'x:1,loud=/a': unknown output
/// 'loud' (level, bass, ...)". The target is not resolved here.
boost::system::result<MapSpec, std::string> parse_map(std::string_view text);

/// `defaults` with `rules` applied: a named output takes its rule's address (or none for "-"); with
/// a "*=-" rule, every output no rule names is dropped, wherever "*" stands. The error names an
/// output given two rules, or a second "*".
boost::system::result<Addresses, std::string> apply_rules(const Addresses& defaults, const std::vector<MapRule>& rules);

}  // namespace vj::audio::program
