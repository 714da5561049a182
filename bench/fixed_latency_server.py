"""A loopback chat-completions server for bench/vinfer.sh: reads each request body, waits a fixed
latency without using CPU (asyncio), answers a tiny completion. HTTP/1.1 keep-alive. A GET
(vinfer's model check, GET /v1/models) is answered 404 at once, as a server without the list
would: only completions take the latency.

usage: fixed_latency_server.py PORT_FILE LATENCY_SECONDS [CAPACITY]

With CAPACITY, a request that arrives while CAPACITY are being answered gets 429 at once (a
server or gateway with a concurrency limit, for vinfer's -j auto); the counts of answered and
refused requests are written to PORT_FILE.stats at each refusal and every 100 answers.
"""
import asyncio
import json
import os
import sys

port_file, latency = sys.argv[1], float(sys.argv[2])
capacity = int(sys.argv[3]) if len(sys.argv) > 3 else 0
active = 0
answered = refused = 0
REFUSAL = b'{"error":{"message":"too many requests in flight"}}'
TOO_MANY = b"HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(REFUSAL), REFUSAL)


def write_stats():
    with open(port_file + ".stats", "w") as f:
        f.write("answered=%d refused=%d\n" % (answered, refused))
ANSWER = json.dumps({"id": "x", "object": "chat.completion", "choices": [
    {"index": 0, "message": {"role": "assistant", "content": "A"}, "finish_reason": "stop"}],
    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}).encode()
NOT_FOUND = b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(ANSWER), ANSWER)


async def handle(reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            await reader.readexactly(length)
            if head.startswith(b"GET "):
                writer.write(NOT_FOUND)
                await writer.drain()
                continue
            global active, answered, refused
            if capacity and active >= capacity:
                refused += 1
                write_stats()
                writer.write(TOO_MANY)
                await writer.drain()
                continue
            active += 1
            try:
                await asyncio.sleep(latency)
            finally:
                active -= 1
            answered += 1
            if capacity and answered % 100 == 0:
                write_stats()
            writer.write(RESPONSE)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=1024, limit=1 << 24)
    port = server.sockets[0].getsockname()[1]
    with open(port_file + ".tmp", "w") as f:
        f.write(str(port))
    os.rename(port_file + ".tmp", port_file)
    async with server:
        await server.serve_forever()


asyncio.run(main())
