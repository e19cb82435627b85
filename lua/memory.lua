-- Resident memory of the service's process group (or process) against limits; see vj-lua(7).
-- args: max    bytes or a size ("512MiB"); above it is unhealthy (required)
--       warn   bytes or a size; above it is degraded (optional)
--       scope  "group" (every process in the service's process group, the default) or "process"
local check = require("vjcheck")

return function(ctx)
  local args = ctx.args
  local max, err = check.size(args.max)
  if not max then return false, "memory: args.max: " .. err end
  local warn
  if args.warn ~= nil then
    warn, err = check.size(args.warn)
    if not warn then return false, "memory: args.warn: " .. err end
  end
  local scope = args.scope or "group"
  if scope ~= "group" and scope ~= "process" then
    return false, "memory: args.scope: expected \"group\" or \"process\", got " .. check.show(scope)
  end
  if not ctx.pid then return false, "memory: the service has no running process" end

  local proc, proc_err = vj.proc(ctx.pid)
  if not proc then return false, "memory: " .. proc_err end
  local rss = proc.rss
  if scope == "group" then
    local group, group_err = vj.group(proc.pgrp)
    if not group then return false, "memory: " .. group_err end
    rss = group.rss
  end

  local message = string.format("rss %s of %s", check.format_bytes(rss), check.format_bytes(max))
  if rss > max then return "unhealthy", message end
  if warn and rss > warn then
    return "degraded", message .. " (warn above " .. check.format_bytes(warn) .. ")"
  end
  return "healthy", message
end
