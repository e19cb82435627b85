// Small files other programs read while the worker runs: the JSON status file and the heartbeat.
#pragma once

#include <string>

#include <boost/system/result.hpp>
#include <nlohmann/json.hpp>

namespace vj::sdk {

/// Writes `status` (pretty-printed, one trailing newline) to PATH.new, then renames it over PATH,
/// so a reader (a Lua check) sees the old file or the new one, never half of one. The error names
/// the path and the failed step: "cannot write /run/vj/audio.json.new: No space left on device".
boost::system::result<void, std::string> write_status_file(const std::string& path, const nlohmann::json& status);

/// Sets PATH's modification time to now, creating it (empty, mode 0644) when missing.
boost::system::result<void, std::string> touch_file(const std::string& path);

}  // namespace vj::sdk
