-- wrk script of `./vdb bench http-load --client wrk`: POSTs prepared search bodies, one per line
-- of the file named by the first script argument, each thread cycling through them from its own
-- offset. Requests are formatted once in init, so wrk's per-request cost stays a table lookup.
local threads = 0

function setup(thread)
  thread:set("offset", threads * 61)
  threads = threads + 1
end

function init(args)
  requests = {}
  for line in io.lines(args[1]) do
    requests[#requests + 1] = wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, line)
  end
  if #requests == 0 then
    error("no search bodies in " .. args[1])
  end
  at = (offset or 0) % #requests
end

function request()
  at = at % #requests + 1
  return requests[at]
end
