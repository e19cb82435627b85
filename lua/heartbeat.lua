-- Healthy while a file the service touches stays fresh; see vj-lua(7).
-- args: path     the file (required)
--       max_age  a duration ("30s", "2m") or seconds; older is unhealthy (default "30s")
local check = require("vjcheck")

return function(ctx)
  local path = ctx.args.path
  if type(path) ~= "string" or path == "" then
    return false, "heartbeat: args.path is required"
  end
  local max_age, err = check.duration(ctx.args.max_age or "30s")
  if not max_age then return false, "heartbeat: args.max_age: " .. err end
  local age, stat_err = vj.file_age(path)
  if not age then return false, "heartbeat: " .. stat_err end
  local message = string.format("heartbeat %s is %.1fs old (max %s)", path, math.max(age, 0),
    check.format_duration(max_age))
  return age <= max_age, message
end
