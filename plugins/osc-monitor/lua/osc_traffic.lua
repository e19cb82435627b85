-- Healthy while OSC messages to an address pattern keep arriving, as vj-osc-monitor's status
-- file shows them; see vj-osc-monitor(1), HEALTH CHECK.
-- args: status       the monitor's --status file (required)
--       address      an OSC address pattern ("/vj/audio/*", "//beat"); default "//*", any address
--       max_silence  a duration; no matching message for longer is unhealthy (default "5s")
--       max_age      a duration; an older status file (the monitor is stuck or gone) is
--                    unhealthy (default "5s"; the monitor rewrites it every second)
--       min_rate     messages per second; a lower total rate on the pattern is degraded (optional)
-- Self-contained (no require), so it works from any lua_path.

--- Splits "a/b//c" at every '/'.
local function split(text)
  local parts, start = {}, 1
  while true do
    local slash = string.find(text, "/", start, true)
    if not slash then
      parts[#parts + 1] = string.sub(text, start)
      return parts
    end
    parts[#parts + 1] = string.sub(text, start, slash - 1)
    start = slash + 1
  end
end

--- The tokens of one pattern part, as vj-osc-monitor compiles them: ? * [set] {a,b} literal.
local function compile_part(part)
  local tokens, i = {}, 1
  while i <= #part do
    local c = string.sub(part, i, i)
    if c == "?" then
      tokens[#tokens + 1] = { kind = "one" }
    elseif c == "*" then
      tokens[#tokens + 1] = { kind = "run" }
    elseif c == "[" then
      local close = string.find(part, "]", i + 1, true)
      if not close then return nil, "unclosed '['" end
      local body = string.sub(part, i + 1, close - 1)
      local set = { kind = "set", chars = {}, negate = false }
      if string.sub(body, 1, 1) == "!" then
        set.negate, body = true, string.sub(body, 2)
      end
      local k = 1
      while k <= #body do
        -- "a-z" is a range; a '-' first or last is itself.
        if k + 2 <= #body and string.sub(body, k + 1, k + 1) == "-" then
          for ch = string.byte(body, k), string.byte(body, k + 2) do set.chars[ch] = true end
          k = k + 3
        else
          set.chars[string.byte(body, k)] = true
          k = k + 1
        end
      end
      tokens[#tokens + 1] = set
      i = close
    elseif c == "{" then
      local close = string.find(part, "}", i + 1, true)
      if not close then return nil, "unclosed '{'" end
      local choices = {}
      for choice in string.gmatch(string.sub(part, i + 1, close - 1) .. ",", "([^,]*),") do
        choices[#choices + 1] = choice
      end
      tokens[#tokens + 1] = { kind = "alt", choices = choices }
      i = close
    else
      tokens[#tokens + 1] = { kind = "alt", choices = { c } }
    end
    i = i + 1
  end
  return tokens
end

--- A compiled pattern: a list of parts, each { any_levels = true } ("//") or { tokens = ... }.
local function compile(pattern)
  if type(pattern) ~= "string" or string.sub(pattern, 1, 1) ~= "/" then
    return nil, "an OSC address pattern starts with '/'"
  end
  local names, parts = split(string.sub(pattern, 2)), {}
  for n, name in ipairs(names) do
    if name == "" and n < #names then
      parts[#parts + 1] = { any_levels = true }
    else
      local tokens, err = compile_part(name)
      if not tokens then return nil, err end
      parts[#parts + 1] = { tokens = tokens }
    end
  end
  return parts
end

-- Both matchers keep the set of reachable positions instead of backtracking, so a pattern's
-- cost stays proportional to its length times the address's.
local function match_part(tokens, name)
  local n, at = #name, { [0] = true }
  for _, t in ipairs(tokens) do
    local next, any = {}, false
    if t.kind == "run" then
      local reached = false
      for p = 0, n do
        reached = reached or at[p] == true
        if reached then next[p], any = true, true end
      end
    elseif t.kind == "alt" then
      for p = 0, n do
        if at[p] then
          for _, s in ipairs(t.choices) do
            if p + #s <= n and string.sub(name, p + 1, p + #s) == s then next[p + #s], any = true, true end
          end
        end
      end
    else
      for p = 0, n - 1 do
        if at[p] and (t.kind == "one" or (t.chars[string.byte(name, p + 1)] == true) ~= t.negate) then
          next[p + 1], any = true, true
        end
      end
    end
    if not any then return false end
    at = next
  end
  return at[n] == true
end

local function matches(parts, address)
  if string.sub(address, 1, 1) ~= "/" then return false end
  local names = split(string.sub(address, 2))
  local n, at = #names, { [0] = true }
  for _, part in ipairs(parts) do
    local next, any = {}, false
    if part.any_levels then
      local reached = false
      for k = 0, n do
        reached = reached or at[k] == true
        if reached then next[k], any = true, true end
      end
    else
      for k = 0, n - 1 do
        if at[k] and match_part(part.tokens, names[k + 1]) then next[k + 1], any = true, true end
      end
    end
    if not any then return false end
    at = next
  end
  return at[n] == true
end

--- A duration argument in seconds, and how to show it (as the YAML wrote it).
local function duration(args, key, default)
  local value = args[key]
  if value == nil then value = default end
  local seconds, err = vj.duration(value)
  if not seconds then return nil, string.format("osc_traffic: args.%s: %s", key, err) end
  return seconds, type(value) == "string" and value or string.format("%gs", value)
end

local function rate_text(rate)
  if rate >= 10 then return string.format("%.0f", rate) end
  return string.format("%.1f", rate)
end

return function(ctx)
  local args = ctx.args
  local path = args.status
  if type(path) ~= "string" or path == "" then return false, "osc_traffic: args.status is required" end
  local pattern = args.address or "//*"
  local parts, pattern_err = compile(pattern)
  if not parts then return false, string.format("osc_traffic: args.address '%s': %s", tostring(pattern), pattern_err) end
  local max_silence, silence_text = duration(args, "max_silence", "5s")
  if not max_silence then return false, silence_text end
  local max_age, age_text = duration(args, "max_age", "5s")
  if not max_age then return false, age_text end
  if args.min_rate ~= nil and type(args.min_rate) ~= "number" then
    return false, "osc_traffic: args.min_rate: expected messages per second, a number"
  end

  local age, stat_err = vj.file_age(path)
  if not age then return false, "osc_traffic: " .. stat_err end
  if age > max_age then
    return false, string.format("status %s is %.1fs old (max %s): vj-osc-monitor is not writing it", path, age, age_text)
  end
  local text, read_err = vj.read_file(path, 1048576)
  if not text then return false, "osc_traffic: " .. read_err end
  local status, json_err = vj.json_decode(text)
  if type(status) ~= "table" or type(status.addresses) ~= "table" then
    return false, string.format("osc_traffic: %s: %s", path, json_err or "not a vj-osc-monitor status file")
  end

  local rate, last = 0, nil
  for address, entry in pairs(status.addresses) do
    if type(entry) == "table" and matches(parts, address) then
      rate = rate + (tonumber(entry.rate) or 0)
      local seen = tonumber(entry.last_seen)
      if seen and (not last or seen > last) then last = seen end
    end
  end
  if not last then
    return false, string.format("no message on %s since vj-osc-monitor started %.0fs ago", pattern,
      tonumber(status.uptime) or 0)
  end
  local silence = math.max(0, vj.now() - last)
  if silence > max_silence then
    return false, string.format("no message on %s for %.1fs (max %s)", pattern, silence, silence_text)
  end
  local message = string.format("%s msg/s on %s, last %.2fs ago", rate_text(rate), pattern, silence)
  if args.min_rate and rate < args.min_rate then
    return "degraded", message .. string.format(" (min %s msg/s)", rate_text(args.min_rate))
  end
  return true, message
end
