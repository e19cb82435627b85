-- Healthy while vj-audio hears sound, from its --status file; see vj-audio(1), HEALTH CHECK.
-- args: status      vj-audio's --status file (required)
--       threshold   dBFS; a second whose loudest hop is below it counts as silent (default -50)
--       silent_for  a duration; silent that long, every second of it, is degraded (default "30s")
--       max_age     a duration; an older status file (vj-audio stuck or gone) is unhealthy
--                   (default "5s"; vj-audio rewrites it every second)
-- Degraded, not unhealthy, on silence: restarting the analyzer cannot bring back a dead mixer
-- feed, but the rig should show it. Self-contained (no require), so it works from any lua_path.

--- "250ms", "1.5s", "45s", "1m30s", "2h": seconds written the way services.yaml writes durations.
local function show_duration(seconds)
  if seconds < 1 then return string.format("%dms", math.floor(seconds * 1000 + 0.5)) end
  if seconds ~= math.floor(seconds) then return string.format("%gs", seconds) end
  local parts, rest = {}, math.floor(seconds)
  for _, unit in ipairs({ { "h", 3600 }, { "m", 60 }, { "s", 1 } }) do
    if rest >= unit[2] then
      parts[#parts + 1] = string.format("%d%s", rest // unit[2], unit[1])
      rest = rest % unit[2]
    end
  end
  return table.concat(parts)
end

--- Seconds from args[name] (a duration text or a number), or `default`; or nil, message.
local function duration_arg(args, name, default)
  local value = args[name]
  if value == nil then value = default end
  local seconds, err = vj.duration(value)
  if not seconds then return nil, "audio_levels: args." .. name .. ": " .. err end
  return seconds
end

return function(ctx)
  local args = ctx.args
  local path = args.status
  if type(path) ~= "string" or path == "" then
    return false, "audio_levels: args.status is required (vj-audio's --status file)"
  end
  local threshold = -50
  if args.threshold ~= nil then
    threshold = tonumber(args.threshold)
    if not threshold then
      return false, string.format("audio_levels: args.threshold: expected dBFS, got '%s'", tostring(args.threshold))
    end
  end
  local silent_for, err = duration_arg(args, "silent_for", "30s")
  if not silent_for then return false, err end
  local max_age
  max_age, err = duration_arg(args, "max_age", "5s")
  if not max_age then return false, err end

  local age, stat_err = vj.file_age(path)
  if not age then return false, "audio_levels: " .. stat_err end
  if age > max_age then
    return false, string.format("audio_levels: status %s is %.1fs old (max %s)", path, age, show_duration(max_age))
  end
  -- 600 history entries pretty-printed are ~10 KiB; allow a good margin over the default 64 KiB.
  local text, read_err = vj.read_file(path, 1048576)
  if not text then return false, "audio_levels: " .. read_err end
  local status, json_err = vj.json_decode(text)
  if type(status) ~= "table" then
    return false, string.format("audio_levels: %s: %s", path, json_err or "expected a JSON object")
  end
  local history = status.level_history_db
  if type(history) ~= "table" then
    return false, string.format("audio_levels: %s: no level_history_db (is it vj-audio's status file?)", path)
  end

  if status.hops == 0 then return true, "no audio analysed yet" end

  -- One entry per second, newest last: the quiet stretch is the run of entries below the
  -- threshold at the end. A history shorter than silent_for cannot have been silent that long.
  local quiet = 0
  for i = #history, 1, -1 do
    local db = history[i]
    if type(db) ~= "number" or db >= threshold then break end
    quiet = quiet + 1
  end
  if quiet >= math.max(1, math.ceil(silent_for)) then
    return "degraded", string.format("silent for %s (every second below %g dBFS)", show_duration(quiet), threshold)
  end

  local bpm = tonumber(status.bpm) or 0
  local level_db = tonumber(status.level_db) or -120
  local tempo = bpm > 0 and string.format("%.1f BPM", bpm) or "no tempo yet"
  return true, string.format("%s, %.1f dBFS", tempo, level_db)
end
