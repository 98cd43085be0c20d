-- wrk script: GET /api/search with the benchmark queries in turn (top 10, snippets, total,
-- every facet count), one query per request.
local queries = {}
local index = 0

local function urlencode(text)
  return (text:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

init = function(args)
  local path = os.getenv("QUERIES") or "target/bench/queries.txt"
  for line in io.lines(path) do
    if #line > 0 then queries[#queries + 1] = "/api/search?q=" .. urlencode(line) end
  end
  index = math.random(#queries)
end

request = function()
  index = index % #queries + 1
  return wrk.format("GET", queries[index])
end
