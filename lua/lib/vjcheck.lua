-- Helpers shared by the shipped health scripts: sizes, durations, dotted paths, formatting.
-- Load it with require("vjcheck"); see vj-lua(7).
local M = {}

-- As in services.yaml(5): KB, MB, GB, TB are powers of 1000; KiB, MiB, GiB, TiB of 1024.
local size_units = {
  [""] = 1, B = 1,
  KB = 1e3, MB = 1e6, GB = 1e9, TB = 1e12,
  KiB = 1024, MiB = 1024 ^ 2, GiB = 1024 ^ 3, TiB = 1024 ^ 4,
}

--- Bytes from a number or a size text ("512MiB", "1.5GB", "64 KiB", "4096"); or nil, reason.
function M.size(value)
  if type(value) == "number" then
    if value >= 0 then return value end
    return nil, "expected a size of at least 0, got " .. value
  end
  if type(value) ~= "string" then
    return nil, "expected a size like 512MiB, got " .. (value == nil and "nothing" or "a " .. type(value))
  end
  local number, unit = value:match("^%s*(%d+%.?%d*)%s*(%a*)%s*$")
  local factor = size_units[unit or ""]
  if not number or not factor then
    return nil, string.format("expected a size like 512MiB or 1.5GB, got '%s'", value)
  end
  return math.floor(tonumber(number) * factor + 0.5)
end

--- Seconds from a number or a duration text ("250ms", "30s", "1m30s"); or nil, reason.
function M.duration(value)
  if type(value) ~= "number" and type(value) ~= "string" then
    return nil, "expected a duration like 30s, got " .. (value == nil and "nothing" or "a " .. type(value))
  end
  return vj.duration(value)
end

--- The value at a dotted path ("audio.level", "channels.1.name") inside nested tables, or nil.
--- A numeric part indexes an array when there is no string key of that name.
function M.lookup(tbl, path)
  local value = tbl
  for part in string.gmatch(path, "[^.]+") do
    if type(value) ~= "table" then return nil end
    local inner = value[part]
    if inner == nil and part:match("^%d+$") then inner = value[tonumber(part)] end
    value = inner
  end
  return value
end

--- "512 MiB", "123.4 MiB", "900 B": bytes in the largest binary unit they reach.
function M.format_bytes(bytes)
  local units = { "B", "KiB", "MiB", "GiB", "TiB" }
  local value, i = bytes, 1
  while value >= 1024 and i < #units do
    value, i = value / 1024, i + 1
  end
  if value == math.floor(value) then return string.format("%d %s", value, units[i]) end
  return string.format("%.1f %s", value, units[i])
end

--- "250ms", "1.5s", "30s", "1m30s", "2h": seconds the way services.yaml writes durations.
function M.format_duration(seconds)
  if seconds < 1 then return string.format("%dms", math.floor(seconds * 1000 + 0.5)) end
  if seconds ~= math.floor(seconds) then return string.format("%gs", seconds) end
  local parts, rest = {}, math.floor(seconds)
  for _, unit in ipairs({ { "d", 86400 }, { "h", 3600 }, { "m", 60 }, { "s", 1 } }) do
    if rest >= unit[2] then
      parts[#parts + 1] = string.format("%d%s", rest // unit[2], unit[1])
      rest = rest % unit[2]
    end
  end
  return table.concat(parts)
end

--- A value for a message: strings quoted, everything else through tostring.
function M.show(value)
  if type(value) == "string" then return '"' .. value .. '"' end
  return tostring(value)
end

return M
