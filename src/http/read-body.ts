// Reads a request body up to a byte limit while it streams: past the limit reading stops
// and the caller answers 413, so a huge or endless body never sits in memory. gzip and
// deflate bodies (Segment's and RudderStack's senders may compress) are limited on their
// decompressed size.
import type { IncomingMessage } from "node:http";
import { createGunzip, createInflate } from "node:zlib";
import type { Readable } from "node:stream";

export type BodyResult =
  | { ok: true; body: Buffer }
  | { ok: false; status: 413 | 415 | 400; code: string; message: string };

export function readBody(req: IncomingMessage, limitBytes: number): Promise<BodyResult> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limitBytes) {
    return Promise.resolve({
      ok: false,
      status: 413,
      code: "payload_too_large",
      message: `The body is ${declared} bytes; the limit is ${limitBytes} bytes (5 MB).`,
    });
  }
  const encoding = String(req.headers["content-encoding"] ?? "identity").toLowerCase();
  let source: Readable = req;
  if (encoding === "gzip") source = req.pipe(createGunzip());
  else if (encoding === "deflate") source = req.pipe(createInflate());
  else if (encoding !== "identity") {
    return Promise.resolve({
      ok: false,
      status: 415,
      code: "unsupported_encoding",
      message: `Content-Encoding ${encoding} is not supported; send identity, gzip or deflate.`,
    });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      source.removeAllListeners("data");
      resolve(result);
    };
    source.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        source.pause();
        if (source !== req) source.destroy();
        settle({
          ok: false,
          status: 413,
          code: "payload_too_large",
          message: `The body is larger than ${limitBytes} bytes (5 MB); send smaller batches.`,
        });
        return;
      }
      chunks.push(chunk);
    });
    source.once("end", () => settle({ ok: true, body: Buffer.concat(chunks, size) }));
    source.once("error", (error) =>
      settle({
        ok: false,
        status: 400,
        code: "malformed_body",
        message: `The body could not be read: ${error.message}`,
      }),
    );
    req.once("aborted", () =>
      settle({ ok: false, status: 400, code: "malformed_body", message: "The request was aborted." }),
    );
  });
}
