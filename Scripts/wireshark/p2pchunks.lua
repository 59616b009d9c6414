-- Wireshark/tshark dissector for the P2P chunk-sharing protocol (../shared/docs/PROTOCOL.md):
-- HELLO, QUERY, CHUNK_INFO, GET and RESPONSE over UDP, every integer u16 big-endian.
--
--   tshark -X lua_script:Scripts/wireshark/p2pchunks.lua -r capture.pcap -Y 'p2pchunks.type == 2'
--   or copy it into Wireshark's personal Lua plugins folder (README.md, "Captures and Wireshark").
--
-- Registered on the UDP ports of the "ports" preference (default 5000-5999) and as a heuristic dissector for
-- other UDP ports. A datagram whose type field is not 1-5 on a port that another dissector had before (5353
-- mDNS, 5060 SIP, ...) goes to that dissector; anywhere else it is shown as ours, flagged "unknown type".
-- Malformed datagrams are decoded as far as they go and get expert info; p2pchunks.malformed then holds the
-- label our peers write in their traces' drop events and in p2p_datagrams_dropped_total (truncated,
-- trailing_bytes, unknown_type, size_mismatch).

local p2p = Proto("p2pchunks", "P2P chunk-sharing protocol")

local TYPE_NAMES = { [1] = "HELLO", [2] = "QUERY", [3] = "CHUNK_INFO", [4] = "GET", [5] = "RESPONSE" }
local HELLO, QUERY, CHUNK_INFO, GET, RESPONSE = 1, 2, 3, 4, 5
-- Bytes before the chunk list (HELLO, CHUNK_INFO, GET: the type; QUERY: type, client ip and port, ttl).
local LIST_HEADER = { [HELLO] = 2, [QUERY] = 10, [CHUNK_INFO] = 2, [GET] = 2 }
-- At most this many chunk ids are spelled out in the info column.
local INFO_CHUNKS = 32

local fields = {
    type = ProtoField.uint16("p2pchunks.type", "Type", base.DEC, TYPE_NAMES),
    client = ProtoField.string("p2pchunks.client", "Client (ip:port)"),
    client_ip = ProtoField.ipv4("p2pchunks.client_ip", "Client IP"),
    client_port = ProtoField.uint16("p2pchunks.client_port", "Client port"),
    ttl = ProtoField.uint16("p2pchunks.ttl", "TTL"),
    count = ProtoField.uint16("p2pchunks.count", "Count"),
    chunk = ProtoField.uint16("p2pchunks.chunk", "Chunk id"),
    size = ProtoField.uint16("p2pchunks.size", "Payload size"),
    payload = ProtoField.bytes("p2pchunks.payload", "Payload"),
    chunks = ProtoField.string("p2pchunks.chunks", "Chunk ids"),
    malformed = ProtoField.string("p2pchunks.malformed", "Malformed"),
}
p2p.fields = fields

local experts = {
    short = ProtoExpert.new("p2pchunks.short", "Short datagram",
        expert.group.MALFORMED, expert.severity.ERROR),
    count_mismatch = ProtoExpert.new("p2pchunks.count_mismatch", "Count announces more chunk ids than present",
        expert.group.MALFORMED, expert.severity.ERROR),
    trailing = ProtoExpert.new("p2pchunks.trailing", "Trailing bytes",
        expert.group.MALFORMED, expert.severity.ERROR),
    unknown_type = ProtoExpert.new("p2pchunks.unknown_type", "Unknown message type",
        expert.group.MALFORMED, expert.severity.ERROR),
    size_mismatch = ProtoExpert.new("p2pchunks.size_mismatch", "RESPONSE size disagrees with its payload",
        expert.group.MALFORMED, expert.severity.ERROR),
    snapped = ProtoExpert.new("p2pchunks.snapped", "Datagram cut by the capture's snaplen",
        expert.group.UNDECODED, expert.severity.WARN),
}
p2p.experts = experts

p2p.prefs.ports = Pref.range("UDP ports", "5000-5999", "UDP ports always dissected as this protocol", 65535)

local function plural(n, word)
    if n == 1 then return "1 " .. word end
    return n .. " " .. word .. "s"
end

-- Why the length or type field makes the datagram malformed, or nil: label (as in our traces), expert, message.
local function header_problem(type, length)
    if length < 2 then
        return "truncated", experts.short,
            "datagram of " .. plural(length, "byte") .. " is too short to hold a message type (2 bytes)"
    end
    local name = TYPE_NAMES[type]
    if not name then
        return "unknown_type", experts.unknown_type,
            "unknown message type " .. type .. " (expected 1 HELLO to 5 RESPONSE)"
    end
    return nil
end

-- Why a chunk list (count nil: cut before its count) disagrees with the datagram's length, or nil.
local function list_problem(type, length, count)
    local name = TYPE_NAMES[type]
    local header = LIST_HEADER[type] + 2
    if count == nil then
        return "truncated", experts.short,
            "truncated " .. name .. ": needs " .. header .. " bytes, datagram has " .. length
    end
    local expected = header + 2 * count
    if length < expected then
        return "truncated", experts.count_mismatch,
            name .. " count " .. count .. " needs " .. expected .. " bytes, datagram has " .. length
    elseif length > expected then
        return "trailing_bytes", experts.trailing,
            name .. " has trailing bytes: its fields take " .. expected .. " bytes, datagram has " .. length
    end
    return nil
end

local function flag(tree, label, expert_field, message)
    tree:add(fields.malformed, label):set_generated()
    tree:add_proto_expert_info(expert_field, message)
end

-- Adds the count and every chunk id present; returns the ids read and the count (nil when cut short).
local function add_chunk_list(tvb, tree, offset)
    local captured = tvb:len()
    if tvb:reported_length_remaining(offset) < 2 or captured < offset + 2 then return {}, nil end
    local count = tvb(offset, 2):uint()
    tree:add(fields.count, tvb(offset, 2))
    local ids = {}
    local position = offset + 2
    while #ids < count and position + 2 <= captured do
        local id = tvb(position, 2):uint()
        tree:add(fields.chunk, tvb(position, 2))
        ids[#ids + 1] = id
        position = position + 2
    end
    tree:add(fields.chunks, table.concat(ids, ",")):set_generated()
    return ids, count
end

local function chunk_text(ids)
    if #ids <= INFO_CHUNKS then return table.concat(ids, ",") end
    return table.concat(ids, ",", 1, INFO_CHUNKS) .. ",... (" .. #ids .. ")"
end

-- QUERY: client ip and port, ttl; returns the info text's middle part.
local function add_query_header(tvb, tree)
    if tvb:len() < 10 then return "" end
    local ip = tvb(2, 4):ipv4()
    local port = tvb(6, 2):uint()
    local client = tostring(ip) .. ":" .. port
    tree:add(fields.client, tvb(2, 6), client)
    tree:add(fields.client_ip, tvb(2, 4))
    tree:add(fields.client_port, tvb(6, 2))
    tree:add(fields.ttl, tvb(8, 2))
    return " ttl=" .. tvb(8, 2):uint() .. " client=" .. client
end

local function add_response(tvb, tree, length)
    if length < 6 or tvb:len() < 6 then
        flag(tree, "truncated", experts.short, "truncated RESPONSE: needs 6 bytes, datagram has " .. length)
        if tvb:len() >= 4 then tree:add(fields.chunk, tvb(2, 2)) end
        return " [truncated]"
    end
    local chunk, size = tvb(2, 2):uint(), tvb(4, 2):uint()
    tree:add(fields.chunk, tvb(2, 2))
    tree:add(fields.size, tvb(4, 2))
    local carried = length - 6
    if carried > 0 then tree:add(fields.payload, tvb(6, math.min(carried, tvb:len() - 6))) end
    local info = " chunk=" .. chunk .. " size=" .. size
    if carried ~= size then
        flag(tree, "size_mismatch", experts.size_mismatch, "RESPONSE for chunk " .. chunk .. " declares " ..
            size .. " payload bytes but carries " .. carried)
        info = info .. " [carries " .. carried .. "]"
    end
    return info
end

local function dissect(tvb, pinfo, tree)
    local length = tvb:reported_length_remaining()
    pinfo.cols.protocol = "P2PCHUNKS"
    local subtree = tree:add(p2p, tvb())
    local type = nil
    if length >= 2 and tvb:len() >= 2 then
        type = tvb(0, 2):uint()
        subtree:add(fields.type, tvb(0, 2))
    end
    local label, expert_field, message = header_problem(type or 0, length)
    if label then
        flag(subtree, label, expert_field, message)
        pinfo.cols.info = message
        return
    end
    local name = TYPE_NAMES[type]
    subtree:append_text(", " .. name)
    if tvb:len() < length then
        subtree:add_proto_expert_info(experts.snapped, "captured " .. tvb:len() .. " of " .. length .. " bytes")
    end
    local info = name
    if type == RESPONSE then
        info = info .. add_response(tvb, subtree, length)
    else
        if type == QUERY then info = info .. add_query_header(tvb, subtree) end
        local offset = LIST_HEADER[type]
        local ids, count = add_chunk_list(tvb, subtree, math.min(offset, length))
        if count then info = info .. " chunks=" .. chunk_text(ids) end
        label, expert_field, message = list_problem(type, length, count)
        if label then
            flag(subtree, label, expert_field, message)
            info = info .. " [" .. message .. "]"
        end
    end
    pinfo.cols.info = info
end

-- Exactly one well-formed message with at least one chunk id (or a payload): what the heuristic accepts.
local function looks_like_ours(tvb)
    local length = tvb:reported_length_remaining()
    if length < 4 or tvb:len() < 4 then return false end
    local type = tvb(0, 2):uint()
    if type == RESPONSE then
        return length > 6 and tvb:len() >= 6 and length == 6 + tvb(4, 2):uint()
    end
    local header = LIST_HEADER[type]
    if not header or tvb:len() < header + 2 then return false end
    local count = tvb(header, 2):uint()
    return count > 0 and length == header + 2 + 2 * count
end

-- The dissectors that had our ports before us, by port: they get datagrams whose type is not ours.
local previous = {}
local registered = {}
local udp_port = DissectorTable.get("udp.port")

function p2p.dissector(tvb, pinfo, tree)
    local before = previous[pinfo.match_uint]
    if before and tvb:len() >= 2 and not TYPE_NAMES[tvb(0, 2):uint()] then
        return before:call(tvb, pinfo, tree)
    end
    dissect(tvb, pinfo, tree)
    return tvb:len()
end

local function parse_ports(text)
    local ports = {}
    for part in string.gmatch(text, "[^,%s]+") do
        local low, high = string.match(part, "^(%d+)%-(%d+)$")
        low = tonumber(low or part)
        high = tonumber(high or part)
        if low and high then
            for port = low, math.min(high, 65535) do ports[port] = true end
        end
    end
    return ports
end

local function register_ports()
    local wanted = parse_ports(tostring(p2p.prefs.ports))
    for port in pairs(registered) do
        if not wanted[port] then
            udp_port:remove(port, p2p)
            if previous[port] then udp_port:add(port, previous[port]) end
            registered[port], previous[port] = nil, nil
        end
    end
    for port in pairs(wanted) do
        if not registered[port] then
            previous[port] = udp_port:get_dissector(port)
            udp_port:add(port, p2p)
            registered[port] = true
        end
    end
end

function p2p.prefs_changed()
    register_ports()
end

register_ports()

p2p:register_heuristic("udp", function(tvb, pinfo, tree)
    if not looks_like_ours(tvb) then return false end
    dissect(tvb, pinfo, tree)
    return true
end)
