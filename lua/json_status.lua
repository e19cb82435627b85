-- Checks the fields of a JSON status file that a service writes; see vj-lua(7).
-- args: path             the file (required)
--       max_age          a duration; an older file is unhealthy (optional)
--       max_bytes        how much of the file to read (default 64KiB, at most 1MiB)
--       fields           { ["dotted.path"] = { min = N, max = N, equals = V }, ... }:
--                        the first failing field (by name) makes the verdict unhealthy
--       degraded_fields  the same; the first failing one makes it degraded
-- A rule that is not a table means { equals = rule }.
local check = require("vjcheck")

--- nil if `value` passes `rule`, else why not.
local function violation(name, value, rule)
  if value == nil then return name .. " is missing" end
  if rule.equals ~= nil and value ~= rule.equals then
    return string.format("%s = %s (expected %s)", name, check.show(value), check.show(rule.equals))
  end
  if rule.min ~= nil or rule.max ~= nil then
    if type(value) ~= "number" then
      return string.format("%s = %s (expected a number)", name, check.show(value))
    end
    if rule.min ~= nil and value < rule.min then
      return string.format("%s = %s (min %s)", name, check.show(value), check.show(rule.min))
    end
    if rule.max ~= nil and value > rule.max then
      return string.format("%s = %s (max %s)", name, check.show(value), check.show(rule.max))
    end
  end
  return nil
end

--- The first violation among `fields`, in the order of their names; else nil and how many passed.
local function first_violation(doc, fields)
  local names = {}
  for name in pairs(fields or {}) do names[#names + 1] = name end
  table.sort(names)
  for _, name in ipairs(names) do
    local rule = fields[name]
    if type(rule) ~= "table" then rule = { equals = rule } end
    local why = violation(name, check.lookup(doc, name), rule)
    if why then return why end
  end
  return nil, #names
end

return function(ctx)
  local args = ctx.args
  local path = args.path
  if type(path) ~= "string" or path == "" then return false, "json_status: args.path is required" end

  if args.max_age ~= nil then
    local max_age, err = check.duration(args.max_age)
    if not max_age then return false, "json_status: args.max_age: " .. err end
    local age, stat_err = vj.file_age(path)
    if not age then return false, "json_status: " .. stat_err end
    if age > max_age then
      return false, string.format("status %s is %.1fs old (max %s)", path, age, check.format_duration(max_age))
    end
  end

  local max_bytes
  if args.max_bytes ~= nil then
    local err
    max_bytes, err = check.size(args.max_bytes)
    if not max_bytes then return false, "json_status: args.max_bytes: " .. err end
  end
  local text, read_err = vj.read_file(path, max_bytes)
  if not text then return false, "json_status: " .. read_err end
  local doc, json_err = vj.json_decode(text)
  if type(doc) ~= "table" then
    return false, string.format("json_status: %s: %s", path, json_err or "expected a JSON object")
  end

  local why, passed = first_violation(doc, args.fields)
  if why then return "unhealthy", why end
  local why_degraded, passed_degraded = first_violation(doc, args.degraded_fields)
  if why_degraded then return "degraded", why_degraded end
  return "healthy", string.format("status %s: %d fields ok", path, passed + passed_degraded)
end
